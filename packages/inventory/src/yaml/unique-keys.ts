import {
  isMap,
  isScalar,
  parseDocument,
  visit,
  YAMLParseError,
  type Document,
  type DocumentOptions,
  type ParseOptions,
  type SchemaOptions,
} from 'yaml';

/**
 * `parseDocument` with yaml's duplicate-key rule (same key node, or scalar keys with `===` values) checked
 * through one Set per mapping: yaml's own check compares each key with every earlier key of its map, which
 * is quadratic in a `compute_hosts` map of thousands of hosts.
 */
export function parseDocumentUniqueKeys(
  text: string,
  options: ParseOptions & DocumentOptions & SchemaOptions = {},
): Document {
  const doc = parseDocument(text, { ...options, uniqueKeys: false });
  visit(doc, {
    Map(_, map) {
      if (!isMap(map) || map.items.length < 2) return;
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        const key: unknown = pair.key;
        const value = isScalar(key) ? key.value : key;
        if (typeof value === 'number' && Number.isNaN(value)) continue;
        if (seen.has(value)) addError(doc, (key as { range?: [number, number, number] } | null)?.range?.[0] ?? 0);
        else seen.add(value);
      }
    },
  });
  return doc;
}

/** Inserted in source order, where yaml's composer would have reported it. */
function addError(doc: Document, offset: number): void {
  const error = new YAMLParseError([offset, offset + 1], 'DUPLICATE_KEY', 'Map keys must be unique');
  const at = doc.errors.findIndex((e) => e.pos[0] > offset);
  if (at < 0) doc.errors.push(error);
  else doc.errors.splice(at, 0, error);
}
