import {
  Document,
  isMap,
  isPair,
  isScalar,
  isSeq,
  visit,
  type Node,
  type Pair,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';
import { InventoryError } from '../errors.js';
import { parseDocumentUniqueKeys } from './unique-keys.js';

type Path = readonly string[];

/**
 * Edits YAML text through the yaml Document API without re-serialising the document: each edit finds its node
 * in the parsed Document and splices only that node's source range, so comments, anchors, quoting, blank lines
 * and the indentation style of every other line stay byte-for-byte. The result is re-parsed after each edit.
 */
export class YamlEditor {
  private source: string;
  private document: Document;

  /** `parsed`: the Document of `text` when the caller has already parsed it. */
  constructor(
    text: string,
    readonly file: string,
    parsed?: Document,
  ) {
    this.source = text;
    this.document = parsed ?? this.parse(text);
  }

  toString(): string {
    return this.source;
  }

  /** The plain value at `path` (undefined when absent). */
  get(path: Path): unknown {
    const node = this.document.getIn(path, true);
    if (node === undefined) return undefined;
    return isScalar(node) ? node.toJSON() : ((node as { toJSON(): unknown } | null)?.toJSON?.() ?? node);
  }

  has(path: Path): boolean {
    return this.findPair(path) !== undefined;
  }

  /** Top-level keys in file order. */
  keys(path: Path = []): string[] {
    const map = this.mapAt(path);
    return map === undefined
      ? []
      : map.items.filter(isPair).map((p) => String((p.key as Node & { value?: unknown }).value));
  }

  renameKey(path: Path, newKey: string): void {
    const pair = this.requirePair(path);
    const key = pair.key as Node;
    const [start, end] = key.range as [number, number, number];
    this.splice(start, end, this.scalarText(newKey));
  }

  deletePair(path: Path): void {
    const pair = this.requirePair(path);
    const parent = this.mapAt(path.slice(0, -1));
    if (parent?.flow === true) {
      this.regenerate(parent, () => parent.delete((pair.key as Node & { value?: unknown }).value));
      return;
    }
    const key = pair.key as Node;
    const start = this.lineStart(key.range![0]);
    const valueEnd = (pair.value as Node | null)?.range?.[1] ?? key.range![1];
    this.splice(start, this.lineEndAfter(valueEnd), '');
  }

  /** Adds `key: value` at the end of the map at `mapPath` (the end of the file for the top level). */
  appendPair(mapPath: Path, key: string, value: unknown): void {
    const map = this.mapAt(mapPath);
    const contents = this.document.contents;
    if (mapPath.length === 0 && (contents === null || (isScalar(contents) && contents.value === null))) {
      this.appendAtEnd(this.pairText(key, value, ''));
      return;
    }
    if (map === undefined) throw this.editError(`no mapping at ${mapPath.join('.') || 'the top level'}`);
    if (map.flow === true || map.items.length === 0) {
      this.regenerate(map, () => map.set(this.document.createNode(key), this.document.createNode(value)));
      return;
    }
    if (mapPath.length === 0) {
      this.appendAtEnd(this.pairText(key, value, ''));
      return;
    }
    const first = map.items[0]!.key as Node;
    const indent = ' '.repeat(first.range![0] - this.lineStart(first.range![0]));
    const last = map.items[map.items.length - 1]!;
    const lastEnd = (last.value as Node | null)?.range?.[1] ?? (last.key as Node).range![1];
    const at = this.lineEndAfter(lastEnd);
    this.splice(at, at, (this.source[at - 1] === '\n' || at === 0 ? '' : '\n') + this.pairText(key, value, indent));
  }

  /** Replaces the value of an existing key, leaving the key, its comments and neighbours alone. */
  setValue(path: Path, value: unknown): void {
    const pair = this.requirePair(path);
    const node = pair.value as Node | null;
    const text = this.inlineValueText(value);
    const range = node?.range ?? undefined;
    if (range === undefined || range[0] === range[1]) {
      const at = range?.[0] ?? (pair.key as Node).range![1];
      const colon = this.source.indexOf(':', (pair.key as Node).range![1]);
      const insertAt = Math.max(at, colon + 1);
      this.splice(insertAt, insertAt, ` ${text}`);
      return;
    }
    this.splice(range[0], range[1], text);
  }

  /** Appends an item to the sequence at `path`. */
  appendSeqItem(path: Path, value: unknown): void {
    const pair = this.requirePair(path);
    const seq = pair.value;
    if (!isSeq(seq) || seq.flow === true || seq.items.length === 0) {
      const items = isSeq(seq) ? (seq.toJSON() as unknown[]) : [];
      this.setValue(path, [...items, value]);
      return;
    }
    const firstItem = seq.items[0] as Node;
    const lineStart = this.lineStart(firstItem.range![0]);
    const dash = this.source.indexOf('-', lineStart);
    const indent = ' '.repeat(dash - lineStart);
    const last = seq.items[seq.items.length - 1] as Node;
    const at = this.lineEndAfter(last.range![1]);
    this.splice(at, at, `${this.source[at - 1] === '\n' ? '' : '\n'}${indent}- ${this.inlineValueText(value)}\n`);
  }

  /** Removes every item equal to `value` from the sequence at `path`. */
  removeSeqItem(path: Path, value: unknown): boolean {
    const pair = this.requirePair(path);
    const seq = pair.value;
    if (!isSeq(seq)) return false;
    const index = seq.items.findIndex((item) => isScalar(item) && item.value === value);
    if (index < 0) return false;
    if (seq.flow === true) {
      this.regenerate(seq, () => seq.delete(index));
    } else {
      const item = seq.items[index] as Node;
      this.splice(this.lineStart(item.range![0]), this.lineEndAfter(item.range![1]), '');
    }
    this.removeSeqItem(path, value);
    return true;
  }

  /**
   * Replaces `from` as a whole word inside scalar values (not keys, not comments), editing only those scalars'
   * source text: Jinja references such as `{{ nova_v21_service_port }}` follow a renamed variable.
   */
  replaceWord(from: string, to: string): number {
    const pattern = new RegExp(`(?<![A-Za-z0-9_])${from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![A-Za-z0-9_])`, 'g');
    const ranges: [number, number][] = [];
    visit(this.document, {
      Scalar: (key, node) => {
        if (key === 'key' || node.range == null || typeof node.value !== 'string') return;
        if (pattern.test(this.source.slice(node.range[0], node.range[1]))) ranges.push([node.range[0], node.range[1]]);
        pattern.lastIndex = 0;
      },
    });
    if (ranges.length === 0) return 0;
    let next = this.source;
    for (const [start, end] of ranges.sort((a, b) => b[0] - a[0])) {
      next = next.slice(0, start) + next.slice(start, end).replace(pattern, to) + next.slice(end);
    }
    this.document = this.parse(next);
    this.source = next;
    return ranges.length;
  }

  private appendAtEnd(text: string): void {
    const end = this.source.length;
    const sep = end === 0 || this.source.endsWith('\n') ? '' : '\n';
    this.splice(end, end, sep + text);
  }

  private pairText(key: string, value: unknown, indent: string): string {
    const doc = new Document({});
    (doc.contents as YAMLMap).set(doc.createNode(key), doc.createNode(value));
    const text = doc.toString({ lineWidth: 0, indentSeq: true });
    return text
      .split('\n')
      .map((line) => (line === '' ? line : indent + line))
      .join('\n');
  }

  private scalarText(value: string): string {
    return new Document(value).toString({ lineWidth: 0 }).trimEnd();
  }

  private inlineValueText(value: unknown): string {
    const doc = new Document(value);
    if (isMap(doc.contents) || isSeq(doc.contents)) (doc.contents as YAMLMap | YAMLSeq).flow = true;
    return doc.toString({ lineWidth: 0 }).trimEnd();
  }

  private regenerate(node: YAMLMap | YAMLSeq, change: () => void): void {
    const [start, end] = node.range as [number, number, number];
    change();
    node.flow = true;
    const text = new Document(node).toString({ lineWidth: 0 }).trimEnd();
    this.splice(start, end, text);
  }

  private mapAt(path: Path): YAMLMap | undefined {
    const node = path.length === 0 ? this.document.contents : this.document.getIn(path, true);
    return isMap(node) ? node : undefined;
  }

  private findPair(path: Path): Pair | undefined {
    const map = this.mapAt(path.slice(0, -1));
    const last = path[path.length - 1];
    if (map === undefined || last === undefined) return undefined;
    return map.items.find((p) => isPair(p) && (p.key as { value?: unknown } | null)?.value === last);
  }

  private requirePair(path: Path): Pair {
    const pair = this.findPair(path);
    if (pair === undefined) throw this.editError(`no key ${path.join('.')}`);
    return pair;
  }

  private lineStart(offset: number): number {
    return this.source.lastIndexOf('\n', offset - 1) + 1;
  }

  private lineEndAfter(offset: number): number {
    if (offset > 0 && this.source[offset - 1] === '\n') return offset;
    const nl = this.source.indexOf('\n', offset);
    return nl < 0 ? this.source.length : nl + 1;
  }

  private splice(start: number, end: number, text: string): void {
    const next = this.source.slice(0, start) + text + this.source.slice(end);
    this.document = this.parse(next);
    this.source = next;
  }

  private parse(text: string): Document {
    const doc = parseDocumentUniqueKeys(text, { keepSourceTokens: false });
    if (doc.errors.length > 0) throw this.editError(doc.errors[0]!.message.split('\n')[0]!);
    return doc;
  }

  private editError(detail: string): InventoryError {
    return new InventoryError('LEAP_YAML_EDIT_FAILED', `cannot edit ${this.file}: ${detail}`, {
      file: this.file,
      hint: 'the file was left unchanged; edit it by hand or report this as a leap bug with the file attached (remove secrets first)',
    });
  }
}
