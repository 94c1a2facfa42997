import { mkdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { isMap, parseDocument } from 'yaml';
import { writeFileAtomic } from '@leap/contract';
import { backupOnce } from './backup-once.js';
import { OsaDeployError } from './errors.js';
import { readUserFiles, topLevelKeys } from './user-files.js';

/** Where leap adds `openstack_domain: ''` when no user file sets it: the OSA overrides of RPC's Newton layout. */
export const OPENSTACK_DOMAIN_FILE = 'user_osa_variables_overrides.yml';

export interface OpenstackDomainResult {
  /** `kept`: a user file sets openstack_domain already; `added`: leap wrote `openstack_domain: ''` to `file`. */
  action: 'kept' | 'added';
  file: string;
  /** Vault-encrypted user files, not read: if one of them sets openstack_domain, the operator's value still wins there. */
  unread: string[];
}

/**
 * Keeps the short host names Kilo used (RLM-322, leap-anchors §5.1 R5): Newton's default `openstack_domain` is
 * `openstack.local`, which the re-deploy would write into every host's and container's fully qualified name. Adds
 * `openstack_domain: ''` to user_osa_variables_overrides.yml unless a user file sets the key at its top level
 * (upstream's grep also matched a commented-out line and then set nothing). The file is backed up first; a re-run
 * finds the key and changes nothing.
 */
export async function keepShortHostnames(options: {
  configDir: string;
  backupDir: string;
}): Promise<OpenstackDomainResult> {
  const userFiles = await readUserFiles(options.configDir);
  const unread = userFiles.filter((f) => f.doc === undefined).map((f) => f.file);
  const setting = userFiles.find((f) => topLevelKeys(f).includes('openstack_domain'));
  if (setting !== undefined) return { action: 'kept', file: setting.file, unread };

  const file = join(options.configDir, OPENSTACK_DOMAIN_FILE);
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (text === undefined) {
    throw new OsaDeployError(
      'LEAP_OSA_OVERRIDES_MISSING',
      `${file} does not exist: the RPC variables are not migrated yet`,
      {
        file,
        hint: 'run the redeploy/rpc-variables step first (leap run does), then this step again',
      },
    );
  }
  const doc = parseDocument(text);
  if (doc.errors.length > 0 || !(isMap(doc.contents) || doc.contents === null)) {
    throw new OsaDeployError('LEAP_YAML_INVALID', `${file} is not a YAML map of variables`, {
      file,
      hint: 'fix the file, then re-run leap',
    });
  }
  await mkdir(options.backupDir, { recursive: true });
  await backupOnce(file, options.backupDir, 'before-openstack-domain');
  doc.set('openstack_domain', '');
  await writeFileAtomic(file, doc.toString());
  return { action: 'added', file, unread };
}

export const describeOpenstackDomain = (r: OpenstackDomainResult): string =>
  r.action === 'kept'
    ? `openstack_domain set by ${basename(r.file)}: kept`
    : `openstack_domain: '' added to ${basename(r.file)}`;
