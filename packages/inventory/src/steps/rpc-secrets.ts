import { copyFileAtomic } from '@leap/contract';
import { readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { InventoryError } from '../errors.js';
import { backupFile, replaceFile } from '../files/replace.js';
import { generateSecret } from '../secrets/generate.js';
import type { Change, StepReport } from '../types.js';
import { isVaultEncrypted, vaultDecrypt, vaultEncrypt, vaultPasswordRequired } from '../vault.js';
import { YamlEditor } from '../yaml/editor.js';
import { parseYamlText } from '../yaml/parse.js';
import type { StepOptions } from './session.js';

export interface RpcSecretsOptions extends StepOptions {
  /** RPC-O's template of its secrets at the target tag: `rpcd/etc/openstack_deploy/user_rpco_secrets.yml`. */
  templateFile: string;
}

const STEP = 'redeploy/rpc-secrets';

interface SecretsText {
  file: string;
  plain: string;
  encrypted: boolean;
  mode: number;
  values: Record<string, unknown>;
}

const isEmpty = (value: unknown) => value === null || value === undefined || value === '';

async function readSecrets(file: string, options: StepOptions): Promise<SecretsText | undefined> {
  const raw = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw new InventoryError('LEAP_FILE_UNREADABLE', `cannot read ${file}`, {
      file,
      cause: error,
      step: STEP,
      hint: 'check the permissions of the file',
    });
  });
  if (raw === undefined) return undefined;
  const encrypted = isVaultEncrypted(raw);
  if (encrypted && options.vault === undefined) throw vaultPasswordRequired([file]);
  const plain = encrypted ? await vaultDecrypt(options.vault!, raw, file) : raw;
  const values = (parseYamlText(plain, file).data as Record<string, unknown> | null) ?? {};
  return { file, plain, encrypted, mode: (await stat(file)).mode & 0o7777, values };
}

/** Every non-empty value of `source` is in `merged`, unchanged; the error names keys, never values. */
function assertKept(source: SecretsText, merged: Record<string, unknown>, target: string): void {
  const lost = Object.entries(source.values)
    .filter(([key, value]) => !isEmpty(value) && !isDeepStrictEqual(merged[key], value))
    .map(([key]) => key);
  if (lost.length > 0) {
    throw new InventoryError(
      'LEAP_RPC_SECRETS_NOT_KEPT',
      `${target} would not keep the value of ${lost.join(', ')} from ${source.file}; nothing was changed`,
      {
        file: source.file,
        step: STEP,
        hint: `set each of these keys to one value in ${source.file} and ${target}, then re-run leap`,
      },
    );
  }
}

/**
 * Upstream R2c (leap-anchors §5.1, RPC-O `update-secrets.sh`): RPC-O's secrets template merged with the operator's
 * `user_rpco_secrets.yml` (or, on Kilo, `user_extras_secrets.yml`), operator values winning and new or empty keys
 * filled from node:crypto; `user_extras_secrets.yml` removed once its values are in the merged file; then
 * `user_secrets.yml` moved to `user_osa_secrets.yml` (copied, compared, then removed: a crash loses nothing).
 * Encrypted files stay encrypted, every file is backed up first, and only key names are reported.
 */
export async function mergeRpcSecrets(options: RpcSecretsOptions): Promise<StepReport> {
  const { deployDir } = options;
  const changes: Change[] = [];
  const record = (change: Change) => {
    changes.push(change);
    options.logger?.info(
      `${change.action} ${change.key ?? ''} in ${change.file.split('/').pop()}`.replace(/\s+/g, ' '),
      { file: change.file, key: change.key, action: change.action },
    );
  };
  const templateText = await readFile(options.templateFile, 'utf8').catch(() => undefined);
  if (templateText === undefined) {
    throw new InventoryError(
      'LEAP_RPC_SECRETS_TEMPLATE_MISSING',
      `${options.templateFile} is missing: the RPC secrets cannot be merged without RPC-O's template`,
      {
        file: options.templateFile,
        step: STEP,
        hint: 'check that the rpc-openstack checkout (rpcoDir in leap.yaml) is at the target tag, then re-run leap',
      },
    );
  }
  const template = (parseYamlText(templateText, options.templateFile).data as Record<string, unknown> | null) ?? {};
  const target = join(deployDir, 'user_rpco_secrets.yml');
  const extrasFile = join(deployDir, 'user_extras_secrets.yml');
  const rpco = await readSecrets(target, options);
  const extras = await readSecrets(extrasFile, options);
  const base = rpco ?? extras;
  const editor = new YamlEditor(base?.plain ?? '---\n', target);
  if (rpco !== undefined && extras !== undefined) {
    // Both present (a resumed run, or an operator who had both): nothing of the extras file may be lost.
    for (const [key, value] of Object.entries(extras.values)) {
      if (isEmpty(value)) continue;
      if (!editor.has([key]) || isEmpty(editor.get([key]))) {
        if (editor.has([key])) editor.setValue([key], value);
        else editor.appendPair([], key, value);
        record({ file: target, action: 'added', key, detail: 'value kept from user_extras_secrets.yml' });
      }
    }
  }
  for (const key of Object.keys(template)) {
    if (!editor.has([key])) {
      editor.appendPair([], key, generateSecret(key));
      record({ file: target, action: 'added', key, detail: 'new in the RPC-O secrets template, generated' });
    } else if (isEmpty(editor.get([key]))) {
      editor.setValue([key], generateSecret(key));
      record({ file: target, action: 'filled', key, detail: 'was empty, generated' });
    }
  }
  const text = editor.toString();
  const merged = (parseYamlText(text, target).data as Record<string, unknown> | null) ?? {};
  for (const source of [rpco, extras]) if (source !== undefined) assertKept(source, merged, target);

  if (rpco === undefined || text !== rpco.plain) {
    const encrypt = base?.encrypted ?? false;
    const content = encrypt ? await vaultEncrypt(options.vault!, text, target) : text;
    await replaceFile(target, content, { backupDir: options.backupDir, root: deployDir, mode: base?.mode ?? 0o600 });
    if (rpco === undefined)
      record({
        file: target,
        action: 'created',
        detail: extras === undefined ? 'from the RPC-O template' : 'from user_extras_secrets.yml',
      });
  }
  if (extras !== undefined) {
    const written = await readSecrets(target, options);
    assertKept(extras, written?.values ?? {}, target);
    await backupFile(extrasFile, { backupDir: options.backupDir, root: deployDir });
    await rm(extrasFile);
    record({ file: extrasFile, action: 'deleted', detail: 'its values are in user_rpco_secrets.yml' });
  }
  await moveOsaSecrets(options, record);
  return { step: STEP, changes };
}

async function moveOsaSecrets(options: StepOptions, record: (change: Change) => void): Promise<void> {
  const from = join(options.deployDir, 'user_secrets.yml');
  const to = join(options.deployDir, 'user_osa_secrets.yml');
  const old = await readFile(from).catch(() => undefined);
  if (old === undefined) return;
  const existing = await readFile(to).catch(() => undefined);
  if (existing !== undefined && !existing.equals(old)) {
    throw new InventoryError(
      'LEAP_OSA_SECRETS_BOTH',
      `both ${from} and ${to} exist and differ; r14.1.0 reads ${to} only`,
      {
        file: to,
        step: STEP,
        hint: `merge the two files into ${to} by hand (keep the values the cloud uses), delete ${from}, then re-run leap`,
      },
    );
  }
  await backupFile(from, { backupDir: options.backupDir, root: options.deployDir });
  if (existing === undefined) await copyFileAtomic(from, to);
  const copied = await readFile(to);
  if (!copied.equals(old)) {
    throw new InventoryError(
      'LEAP_OSA_SECRETS_COPY',
      `${to} does not hold the same bytes as ${from} after the copy; ${from} was kept`,
      {
        file: to,
        step: STEP,
        hint: 'check the disk (space, errors), then re-run leap',
      },
    );
  }
  await rm(from);
  record({ file: to, action: 'renamed', key: 'user_secrets.yml -> user_osa_secrets.yml', detail: 'bytes unchanged' });
}
