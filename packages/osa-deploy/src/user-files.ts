import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isMap, isScalar, parseDocument, type Document } from 'yaml';
import { OsaDeployError } from './errors.js';
import { yamlSyntaxError } from './yaml-error.js';

/** A user_*.yml file of the deploy folder as openstack-ansible passes it: `-e @file`, later files winning. */
export interface UserFile {
  file: string;
  /** Undefined for a file encrypted whole with Ansible Vault: leap does not read it here. */
  doc: Document | undefined;
}

/**
 * The user_*.yml files of the deploy folder in the order Newton's openstack-ansible wrapper loads them
 * (`for i in $(ls /etc/openstack_deploy/user_*.yml)`: sorted by name; a variable set in two files takes the later one).
 */
export async function readUserFiles(configDir: string): Promise<UserFile[]> {
  const names = (await readdir(configDir)).filter((name) => /^user_.*\.yml$/.test(name)).sort();
  const files: UserFile[] = [];
  for (const name of names) {
    const file = join(configDir, name);
    const text = await readFile(file, 'utf8');
    if (text.startsWith('$ANSIBLE_VAULT;')) {
      files.push({ file, doc: undefined });
      continue;
    }
    const doc = parseDocument(text);
    const broken = yamlSyntaxError(file, doc);
    if (broken !== undefined) {
      throw new OsaDeployError('LEAP_YAML_INVALID', broken, { file, hint: 'fix the file, then re-run leap' });
    }
    files.push({ file, doc });
  }
  return files;
}

/** The top-level keys of a YAML document (none unless it is a map). */
export function keysOf(doc: Document): string[] {
  if (!isMap(doc.contents)) return [];
  return doc.contents.items.map((pair) => String(isScalar(pair.key) ? pair.key.value : pair.key));
}

/** The top-level keys a user file sets (none for an empty or vaulted file). */
export function topLevelKeys(userFile: UserFile): string[] {
  return userFile.doc === undefined ? [] : keysOf(userFile.doc);
}
