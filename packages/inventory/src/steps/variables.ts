import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { InventoryError } from '../errors.js';
import { releaseTable } from '../releases/index.js';
import type { ReleaseTable } from '../releases/types.js';
import { generateSecret } from '../secrets/generate.js';
import type { StepReport } from '../types.js';
import type { YamlEditor } from '../yaml/editor.js';
import { EditSession, isSecretKey, userFiles, type StepOptions } from './session.js';

function show(key: string, value: unknown): string {
  return isSecretKey(key) ? '(secret value hidden)' : JSON.stringify(value);
}

function isTrue(value: unknown): boolean {
  return value === true || (typeof value === 'string' && /^(true|yes|on|1)$/i.test(value.trim()));
}

function isEmpty(value: unknown): boolean {
  return value === null || value === undefined || value === '';
}

async function openUserFiles(session: EditSession, deployDir: string): Promise<Map<string, YamlEditor>> {
  const editors = new Map<string, YamlEditor>();
  for (const file of await userFiles(deployDir)) editors.set(file, (await session.open(file))!);
  return editors;
}

function renameVariables(session: EditSession, editors: Map<string, YamlEditor>, table: ReleaseTable): void {
  const conflicts: string[] = [];
  for (const [from, to] of table.renames) {
    const olds = [...editors].filter(([, e]) => e.has([from])).map(([file, e]) => ({ file, value: e.get([from]) }));
    const news = [...editors].filter(([, e]) => e.has([to])).map(([file, e]) => ({ file, value: e.get([to]) }));
    for (const o of olds)
      for (const n of news) {
        if (!isDeepStrictEqual(o.value, n.value))
          conflicts.push(`${o.file}: ${from} = ${show(from, o.value)}; ${n.file}: ${to} = ${show(to, n.value)}`);
      }
  }
  if (conflicts.length > 0) {
    throw new InventoryError(
      'LEAP_RENAME_CONFLICT',
      `both the old and the new name of a variable are set, to different values:\n  ${conflicts.join('\n  ')}`,
      {
        file: conflicts[0]!.split(':')[0],
        step: `${table.name}/variables`,
        hint: 'keep one of the two keys (the new name is the one the target release reads) and delete the other, then re-run',
      },
    );
  }
  for (const [file, editor] of editors) {
    for (const [from, to] of table.renames) {
      if (editor.has([from])) {
        if (editor.has([to])) {
          editor.deletePair([from]);
          session.record({ file, action: 'removed', key: from, detail: `same value as ${to}` });
        } else {
          editor.renameKey([from], to);
          session.record({ file, action: 'renamed', key: `${from} -> ${to}` });
        }
      }
      if (editor.replaceWord(from, to) > 0)
        session.record({ file, action: 'updated', key: from, detail: `references renamed to ${to}` });
    }
  }
}

function checkGuards(editors: Map<string, YamlEditor>, table: ReleaseTable): void {
  for (const guard of table.guards) {
    for (const [file, editor] of editors) {
      if (isTrue(editor.get([guard.variable])))
        throw new InventoryError(guard.code, `${file}: ${guard.message}`, {
          file,
          hint: guard.hint,
          step: `${table.name}/variables`,
        });
    }
  }
}

function secretsFileName(editors: Map<string, YamlEditor>, table: ReleaseTable): string {
  if (table.secrets.file === 'user_secrets.yml') return 'user_secrets.yml';
  for (const editor of editors.values()) {
    const name = editor.get(['osa_secrets_file_name']);
    if (typeof name === 'string' && name.trim() !== '') return name.trim();
  }
  return 'user_secrets.yml';
}

async function migrateSecrets(
  session: EditSession,
  options: StepOptions,
  editors: Map<string, YamlEditor>,
  table: ReleaseTable,
): Promise<void> {
  const file = join(options.deployDir, secretsFileName(editors, table));
  const editor = editors.get(file) ?? (await session.open(file, { mode: 0o600 }))!;
  for (const [from, to] of table.secrets.rename) {
    if (!editor.has([from])) continue;
    if (editor.has([to]) && !isEmpty(editor.get([to])) && !isDeepStrictEqual(editor.get([to]), editor.get([from]))) {
      throw new InventoryError(
        'LEAP_SECRET_RENAME_CONFLICT',
        `${file}: both ${from} and ${to} are set, to different values`,
        {
          file,
          step: `${table.name}/secrets`,
          hint: `keep the value the ${to.split('_')[0]} service uses under ${to}, delete ${from}, then re-run`,
        },
      );
    }
    if (editor.has([to])) {
      if (isEmpty(editor.get([to]))) editor.deletePair([to]);
      else {
        editor.deletePair([from]);
        session.record({ file, action: 'removed', key: from, detail: `same value as ${to}` });
        continue;
      }
    }
    editor.renameKey([from], to);
    session.record({ file, action: 'renamed', key: `${from} -> ${to}`, detail: 'value kept' });
  }
  for (const key of table.secrets.add) {
    if (!editor.has([key])) {
      editor.appendPair([], key, generateSecret(key));
      session.record({ file, action: 'added', key });
    } else if (isEmpty(editor.get([key]))) {
      editor.setValue([key], generateSecret(key));
      session.record({ file, action: 'filled', key });
    }
  }
}

/**
 * The "variable & secret migration" of one leap step: variable renames across every user_*.yml (a conflict
 * stops with both values shown), the release's guards, then secret renames and new secrets (values from
 * crypto, existing values never changed). Idempotent; the report names keys only.
 */
export async function migrateVariables(release: string, options: StepOptions): Promise<StepReport> {
  const table = releaseTable(release);
  const session = new EditSession(options);
  const editors = await openUserFiles(session, options.deployDir);
  checkGuards(editors, table);
  renameVariables(session, editors, table);
  await migrateSecrets(session, options, editors, table);
  await session.commit();
  return { step: `${table.name}/variables`, changes: session.changes };
}
