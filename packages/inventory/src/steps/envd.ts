import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { isPlainObject } from '../config/merge.js';
import type { ReleaseTable } from '../releases/types.js';
import type { YamlEditor } from '../yaml/editor.js';
import { parseYamlText } from '../yaml/parse.js';
import type { EditSession } from './session.js';

function mergeMissing(
  session: EditSession,
  file: string,
  editor: YamlEditor,
  path: string[],
  wanted: Record<string, unknown>,
): void {
  for (const [key, value] of Object.entries(wanted)) {
    const at = [...path, key];
    if (!editor.has(at)) {
      editor.appendPair(path, key, value);
      session.record({ file, action: 'added', key: at.join('.') });
      continue;
    }
    const current = editor.get(at);
    if (isPlainObject(value) && isPlainObject(current)) mergeMissing(session, file, editor, at, value);
    else if (Array.isArray(value) && Array.isArray(current)) {
      for (const item of value) {
        if (current.includes(item)) continue;
        editor.appendSeqItem(at, item);
        session.record({ file, action: 'added', key: `${at.join('.')}[${String(item)}]` });
      }
    }
  }
}

/**
 * Opens (in the session) and edits the env.d files a release step changes; returns the files to copy from the
 * package data when missing. Nothing is written here.
 */
export async function planEnvdChanges(
  session: EditSession,
  table: ReleaseTable,
  envdDir: string,
  dataDir: string,
): Promise<Map<string, string>> {
  const present = new Set(await readdir(envdDir).catch(() => [] as string[]));
  const available = (await readdir(dataDir).catch(() => [] as string[])).filter((f) => f.endsWith('.yml')).sort();
  const copies = new Map<string, string>();
  const toCopy = table.envd.copyIfMissing === 'all' ? available : table.envd.copyIfMissing;
  for (const name of toCopy)
    if (!present.has(name)) copies.set(join(envdDir, name), await readFile(join(dataDir, name), 'utf8'));
  for (const name of table.envd.mergeMissing) {
    const file = join(envdDir, name);
    const source = await readFile(join(dataDir, name), 'utf8');
    if (!present.has(name)) {
      copies.set(file, source);
      continue;
    }
    const editor = (await session.open(file))!;
    const wanted = parseYamlText(source, join(dataDir, name)).data;
    if (isPlainObject(wanted)) mergeMissing(session, file, editor, [], wanted);
  }
  for (const { file: name, components } of table.envd.removeComponents) {
    const file = join(envdDir, name);
    const editor = await session.open(file);
    if (editor === undefined) continue;
    for (const component of components) {
      if (editor.has(['component_skel', component])) {
        editor.deletePair(['component_skel', component]);
        session.record({ file, action: 'removed', key: `component_skel.${component}` });
      }
      for (const skel of editor.keys(['container_skel'])) {
        if (
          editor.has(['container_skel', skel, 'contains']) &&
          editor.removeSeqItem(['container_skel', skel, 'contains'], component)
        ) {
          session.record({ file, action: 'removed', key: `container_skel.${skel}.contains[${component}]` });
        }
      }
    }
  }
  for (const file of copies.keys()) session.record({ file, action: 'created', detail: `${table.name} env.d skeleton` });
  return copies;
}
