import type { LineCounter } from 'yaml';
import { isCollection, isDocument, isPair, type Document, type Node } from 'yaml';

export interface Position {
  line: number;
  col: number;
}

/** Line/column (1-based) of the node at `path`, or of its deepest existing ancestor. */
export function positionOf(
  doc: Document,
  lineCounter: LineCounter,
  path: readonly (string | number)[],
): Position | undefined {
  let node: unknown = doc.contents;
  let best: Node | undefined = isCollection(node) ? node : undefined;
  for (const key of path) {
    if (!isCollection(node)) break;
    const items: unknown[] = node.items;
    let next: unknown;
    if (typeof key === 'number' && !items.some(isPair)) next = items[key];
    else {
      const pair = items.find((item) => isPair(item) && (item.key as { value?: unknown } | null)?.value === key);
      if (isPair(pair)) {
        best = (pair.key as Node | null) ?? best;
        next = pair.value;
      }
    }
    if (next === undefined || next === null) break;
    node = next;
    best = node as Node;
  }
  const offset = best?.range?.[0];
  if (offset === undefined) return isDocument(doc) ? { line: 1, col: 1 } : undefined;
  return lineCounter.linePos(offset);
}

export function formatPath(path: readonly PropertyKey[]): string {
  return path.length === 0
    ? '(top level)'
    : path
        .map((p) => (typeof p === 'number' ? `[${p}]` : String(p)))
        .join('.')
        .replace(/\.\[/g, '[');
}
