import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { InventoryError } from '../errors.js';
import { replaceFile } from '../files/replace.js';
import type { Change, Logger } from '../types.js';
import { YamlEditor } from '../yaml/editor.js';
import { parseYamlText } from '../yaml/parse.js';
import { isVaultEncrypted, vaultDecrypt, vaultEncrypt, vaultPasswordRequired, type VaultAccess } from '../vault.js';

/** What every configuration step takes. */
export interface StepOptions {
  /** The deploy configuration folder, `/etc/openstack_deploy` in production. */
  deployDir: string;
  /** The leap's backup folder: every file is copied there before its first change. */
  backupDir: string;
  logger?: Logger;
  /** Needed only when a file the step edits is encrypted with Ansible Vault. */
  vault?: VaultAccess;
}

interface OpenFile {
  file: string;
  original: string;
  editor: YamlEditor;
  encrypted: boolean;
  created: boolean;
  mode: number | undefined;
}

/**
 * Reads every file a step will edit before anything is written, so a bad file, a conflict or a missing vault
 * password stops the step with every file untouched; then writes the changed ones (backup, atomic replace).
 */
export class EditSession {
  private readonly files = new Map<string, OpenFile>();
  readonly changes: Change[] = [];

  constructor(private readonly options: StepOptions) {}

  /** Opens a YAML file for editing; undefined when it is absent and `create` is not set. */
  async open(file: string, create?: { mode: number }): Promise<YamlEditor | undefined> {
    const known = this.files.get(file);
    if (known !== undefined) return known.editor;
    let raw: string | undefined;
    try {
      raw = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new InventoryError('LEAP_FILE_UNREADABLE', `cannot read ${file}`, {
          file,
          cause: error,
          hint: 'check the permissions of the file',
        });
      }
    }
    if (raw === undefined && create === undefined) return undefined;
    const encrypted = raw !== undefined && isVaultEncrypted(raw);
    if (encrypted && this.options.vault === undefined) throw vaultPasswordRequired([file]);
    const text = raw === undefined ? '---\n' : encrypted ? await vaultDecrypt(this.options.vault!, raw, file) : raw;
    const editor = new YamlEditor(text, file, parseYamlText(text, file).doc);
    const mode = raw === undefined ? create?.mode : (await stat(file)).mode & 0o7777;
    this.files.set(file, { file, original: text, editor, encrypted, created: raw === undefined, mode });
    return editor;
  }

  /** Text of a file as this session will leave it (edited, or as on disk); undefined when absent. */
  async text(file: string): Promise<string | undefined> {
    const known = this.files.get(file);
    if (known !== undefined) return known.editor.toString();
    return readFile(file, 'utf8').catch(() => undefined);
  }

  record(change: Change): void {
    this.changes.push(change);
    this.options.logger?.info(`${change.action} ${change.key ?? ''} in ${basename(change.file)}`.replace(/\s+/g, ' '), {
      file: change.file,
      key: change.key,
      action: change.action,
    });
  }

  /** Writes every changed file; an unchanged file is not rewritten (a second run changes no byte). */
  async commit(): Promise<void> {
    for (const open of this.files.values()) {
      const text = open.editor.toString();
      if (text === open.original && !open.created) continue;
      if (open.created && text === open.original) continue;
      const content = open.encrypted ? await vaultEncrypt(this.options.vault!, text, open.file) : text;
      await replaceFile(open.file, content, {
        backupDir: this.options.backupDir,
        root: this.options.deployDir,
        ...(open.mode === undefined ? {} : { mode: open.mode }),
      });
    }
  }
}

/** `user_*.yml` files of the deploy folder, in name order. */
export async function userFiles(deployDir: string): Promise<string[]> {
  const names = await readdir(deployDir).catch(() => [] as string[]);
  return names
    .filter((n) => /^user_.*\.yml$/.test(n))
    .sort()
    .map((n) => join(deployDir, n));
}

/** A key whose value must never be shown. */
export function isSecretKey(key: string): boolean {
  return /(password|secret|token|key|uuid)$/i.test(key) || /(password|secret|token)/i.test(key);
}
