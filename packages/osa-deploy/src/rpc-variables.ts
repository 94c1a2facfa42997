import { mkdir, readFile, rm } from 'node:fs/promises';
import { parseDocument, type Document } from 'yaml';
import { removeStaleTemps, writeFileAtomic } from '@leap/contract';
import { backupOnce } from './backup-once.js';
import { OsaDeployError } from './errors.js';
import { yamlSyntaxError } from './yaml-error.js';
import { leapfrogCacheOverrides, leapfrogThrottleOverrides } from './releases/newton.js';
import { keysOf, readUserFiles, topLevelKeys } from './user-files.js';
import { join } from 'node:path';

export interface OverrideConflict {
  key: string;
  /** The operator's value, kept in the output. */
  operator: unknown;
  /** The target release's default, which the operator's value overrides. */
  default: unknown;
}

export interface MigrateOverridesResult {
  outputFile: string;
  /** Keys the target release's defaults do not have: copied as they were. */
  copied: string[];
  /** Keys equal to the target release's default: dropped, the default applies. */
  dropped: string[];
  /** Keys the operator set to something else than the new default: kept, and reported for review. */
  conflicts: OverrideConflict[];
  /** The old file was already migrated by an earlier run. */
  alreadyMigrated: boolean;
}

async function readDoc(file: string): Promise<Document | undefined> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (text === undefined) return undefined;
  const doc = parseDocument(text);
  const broken = yamlSyntaxError(file, doc);
  if (broken !== undefined) {
    throw new OsaDeployError('LEAP_YAML_INVALID', broken, {
      file,
      hint: 'fix the file, then re-run leap',
    });
  }
  return doc;
}

/**
 * Moves an RPC-era variables file into the Newton layout (leap-anchors §5.1, `migrate-yaml.py`): a key the new
 * defaults lack is copied, a key equal to its default is dropped, and a key set to another value is **kept** and
 * reported as a conflict — never hidden under OLD_OVERRIDES while the new default silently wins. Comments and
 * order survive. The old file is backed up, then removed once the output is written; a re-run is a no-op.
 */
/** One file of the migration; use migrateRpcVariables, which also installs the defaults and checks the result. */
export async function migrateOverrides(options: {
  overridesFile: string;
  defaultsFile: string;
  outputFile: string;
  backupDir: string;
}): Promise<MigrateOverridesResult> {
  const old = await readDoc(options.overridesFile);
  if (old === undefined) {
    const done = (await readDoc(options.outputFile)) !== undefined;
    return { outputFile: options.outputFile, copied: [], dropped: [], conflicts: [], alreadyMigrated: done };
  }
  const defaults = ((await readDoc(options.defaultsFile))?.toJS() as Record<string, unknown> | null | undefined) ?? {};
  const values = (old.toJS() as Record<string, unknown> | null) ?? {};
  const result: MigrateOverridesResult = {
    outputFile: options.outputFile,
    copied: [],
    dropped: [],
    conflicts: [],
    alreadyMigrated: false,
  };
  for (const key of keysOf(old)) {
    if (!(key in defaults)) {
      result.copied.push(key);
    } else if (JSON.stringify(defaults[key]) === JSON.stringify(values[key])) {
      result.dropped.push(key);
      old.delete(key);
    } else {
      result.conflicts.push({ key, operator: values[key], default: defaults[key] });
    }
  }
  await mkdir(options.backupDir, { recursive: true });
  await backupOnce(options.overridesFile, options.backupDir, 'before-rpc-migration');
  await writeFileAtomic(options.outputFile, old.toString({ lineWidth: 0 }));
  await rm(options.overridesFile);
  return result;
}

/** The RPC variables of Kilo and where they go in the Newton layout (defaults from RPC-O's rpcd/etc/openstack_deploy). */
export function rpcVariableMigrations(
  configDir: string,
  rpcDefaultsDir: string,
): { overridesFile: string; defaultsFile: string; outputFile: string }[] {
  return [
    {
      overridesFile: join(configDir, 'user_extras_variables.yml'),
      defaultsFile: join(rpcDefaultsDir, 'user_rpco_variables_defaults.yml'),
      outputFile: join(configDir, 'user_rpco_variables_overrides.yml'),
    },
    {
      overridesFile: join(configDir, 'user_variables.yml'),
      defaultsFile: join(rpcDefaultsDir, 'user_osa_variables_defaults.yml'),
      outputFile: join(configDir, 'user_osa_variables_overrides.yml'),
    },
  ];
}

export const LEAPFROG_OVERRIDES_FILE = 'user_leapfrog_overrides.yml';

/** Every key of the temporary overrides file. */
export const leapfrogOverrides: Readonly<Record<string, string>> = {
  ...leapfrogThrottleOverrides,
  ...leapfrogCacheOverrides,
};

/** Writes the temporary overrides: every service restarts at once (full API downtime anyway), the apt cache lasts. */
export async function writeLeapfrogOverrides(configDir: string): Promise<string> {
  const file = join(configDir, LEAPFROG_OVERRIDES_FILE);
  const lines = Object.entries(leapfrogOverrides).map(([key, value]) => `${key}: '${value}'`);
  await writeFileAtomic(
    file,
    `---\n# Written by leap for the re-deploy (full API downtime anyway); removed after it.\n${lines.join('\n')}\n`,
  );
  return file;
}

/**
 * Keys of the temporary overrides that an operator's user file sets too, and loaded after the overrides file: the
 * operator's value applies during the re-deploy. leap leaves the operator's files as they are (upstream deleted their
 * `cache_timeout` lines for good) and reports these.
 */
export async function shadowedLeapfrogOverrides(configDir: string): Promise<{ key: string; file: string }[]> {
  const shadowed: { key: string; file: string }[] = [];
  const ownFile = join(configDir, LEAPFROG_OVERRIDES_FILE);
  for (const userFile of await readUserFiles(configDir)) {
    if (userFile.file <= ownFile) continue;
    for (const key of topLevelKeys(userFile)) {
      if (Object.hasOwn(leapfrogOverrides, key)) shadowed.push({ key, file: userFile.file });
    }
  }
  return shadowed;
}

/** Removes the temporary throttle settings after the re-deploy; a no-op when already gone. */
export async function removeLeapfrogOverrides(configDir: string): Promise<void> {
  await rm(join(configDir, LEAPFROG_OVERRIDES_FILE), { force: true });
  await removeStaleTemps(join(configDir, LEAPFROG_OVERRIDES_FILE));
}
