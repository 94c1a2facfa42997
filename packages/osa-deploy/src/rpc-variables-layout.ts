import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { isMap, parseDocument, type Document } from 'yaml';
import { copyFileAtomic, writeFileAtomic } from '@leap/contract';
import { backupOnce } from './backup-once.js';
import { OsaDeployError } from './errors.js';
import { keysOf } from './user-files.js';
import { yamlSyntaxError } from './yaml-error.js';
import { releaseIdentityVariables } from './releases/newton.js';
import { rpcVariableMigrations, type OverrideConflict } from './rpc-variables.js';

export interface RpcVariablesResult {
  /** Keys the target release's defaults do not have: copied as they were. */
  copied: string[];
  /** Keys equal to the target release's default: dropped, the installed defaults file gives the same value. */
  dropped: string[];
  /** Keys the operator set to something else than the new default: kept, and reported for review. */
  conflicts: (OverrideConflict & { file: string })[];
  /**
   * Keys whose value would have changed only because of the new load order (set in both old files, or shadowed
   * by a defaults file loaded later): written to the last-loaded override file with the value they had before.
   */
  pinned: string[];
  /** Keys that name the source release (`rpc_release`...): removed, the target's group_vars set them. Intended. */
  releaseKeysRemoved: { key: string; file: string }[];
  /** The override file the pinned keys were written to. */
  pinFile?: string;
  /** RPC-O defaults files copied into the deploy folder (upstream R2c). */
  defaultsInstalled: string[];
  /** Nothing was left to do: an earlier run migrated everything. */
  alreadyMigrated: boolean;
}

const DEFAULTS_FILE = /_defaults\.yml$/;
const VAULT = '$ANSIBLE_VAULT;';

async function readText(file: string): Promise<string | undefined> {
  return readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
}

function parse(file: string, text: string): Document {
  const doc = parseDocument(text, { uniqueKeys: true });
  const broken = yamlSyntaxError(file, doc);
  if (broken !== undefined) {
    throw new OsaDeployError('LEAP_YAML_INVALID', broken, {
      file,
      hint: 'fix the file, then re-run leap',
    });
  }
  if (doc.contents !== null && !isMap(doc.contents)) {
    throw new OsaDeployError('LEAP_YAML_INVALID', `${file} is not a map of variables`, {
      file,
      hint: 'a user_*.yml file holds `key: value` lines at the top level; fix it, then re-run leap',
    });
  }
  return doc;
}

function valuesOf(doc: Document): Record<string, unknown> {
  return (doc.toJS() as Record<string, unknown> | null) ?? {};
}

/** What Ansible gets from `-e @file` for each user_*.yml in name order (the openstack-ansible wrapper): later wins. */
function effective(layout: Map<string, Record<string, unknown>>): Map<string, unknown> {
  const values = new Map<string, unknown>();
  for (const name of [...layout.keys()].sort())
    for (const [key, value] of Object.entries(layout.get(name)!)) values.set(key, value);
  return values;
}

async function readLayout(configDir: string): Promise<Map<string, Record<string, unknown>>> {
  const layout = new Map<string, Record<string, unknown>>();
  for (const name of (await readdir(configDir)).filter((n) => /^user_.*\.yml$/.test(n))) {
    const file = join(configDir, name);
    const text = (await readText(file)) ?? '';
    // A vault-encrypted file (the secrets) is opaque here; this step neither reads nor changes it.
    if (text.trimStart().startsWith(VAULT)) continue;
    layout.set(name, valuesOf(parse(file, text)));
  }
  return layout;
}

/**
 * Upstream R2 (leap-anchors §5.1) with one invariant: the effective value of every variable the operator set is
 * the same after as before (effective = the user_*.yml files in the re-deploy's load order). RPC-O's defaults
 * files are installed in the deploy folder (R2c), `user_variables.yml` and `user_extras_variables.yml` become
 * the two override files (a key equal to its new default is dropped: the installed default gives it), and a key
 * the new load order would change is pinned. Everything is planned and checked before any file is written; the
 * old files are backed up first and removed last, so a crash at any point resumes.
 */
export async function migrateRpcVariables(options: {
  configDir: string;
  rpcDefaultsDir: string;
  backupDir: string;
}): Promise<RpcVariablesResult> {
  const { configDir, rpcDefaultsDir, backupDir } = options;
  const result: RpcVariablesResult = {
    copied: [],
    dropped: [],
    conflicts: [],
    pinned: [],
    releaseKeysRemoved: [],
    defaultsInstalled: [],
    alreadyMigrated: false,
  };
  const before = await readLayout(configDir);
  const plan: MigrationPlan = {
    result,
    after: new Map(before),
    outputs: new Map(),
    oldFiles: [],
    defaultsToInstall: [],
  };

  for (const migration of rpcVariableMigrations(configDir, rpcDefaultsDir))
    await planFileMigration(plan, migration, configDir, before);
  const moved = await pinMovedKeys(plan, before, configDir, rpcDefaultsDir);

  if (plan.oldFiles.length === 0 && plan.defaultsToInstall.length === 0 && moved.length === 0)
    return { ...result, alreadyMigrated: true };
  await writeMigration(plan, backupDir);
  return result;
}

type RpcVariableMigration = ReturnType<typeof rpcVariableMigrations>[number];

/** What the migration will write, planned in full before any file is touched. */
interface MigrationPlan {
  result: RpcVariablesResult;
  /** The user_*.yml layout once migrated. */
  after: Map<string, Record<string, unknown>>;
  /** The override files to write. */
  outputs: Map<string, Document>;
  /** The old files, backed up first and removed last. */
  oldFiles: string[];
  defaultsToInstall: { source: string; target: string }[];
}

/** Plans one RPC-O defaults file (to install) and the old variables file that becomes its override file. */
async function planFileMigration(
  plan: MigrationPlan,
  migration: RpcVariableMigration,
  configDir: string,
  before: Map<string, Record<string, unknown>>,
): Promise<void> {
  const { result, after } = plan;
  const defaultsName = basename(migration.defaultsFile);
  const installed = join(configDir, defaultsName);
  const oldText = await readText(migration.overridesFile);
  const sourceText = await readText(migration.defaultsFile);
  if (sourceText === undefined) {
    if (oldText === undefined && before.has(defaultsName)) return;
    throw new OsaDeployError(
      'LEAP_RPC_DEFAULTS_MISSING',
      `${migration.defaultsFile} is missing: the RPC variables cannot be migrated without RPC-O's defaults`,
      {
        file: migration.defaultsFile,
        step: 'redeploy/rpc-variables',
        hint: 'check that the rpc-openstack checkout (rpcoDir in leap.yaml) is at the target tag, then re-run leap',
      },
    );
  }
  const defaults = valuesOf(parse(migration.defaultsFile, sourceText));
  if ((await readText(installed)) !== sourceText)
    plan.defaultsToInstall.push({ source: migration.defaultsFile, target: installed });
  after.set(defaultsName, defaults);
  if (oldText === undefined) return;
  if (oldText.trimStart().startsWith(VAULT)) {
    throw new OsaDeployError(
      'LEAP_RPC_VARIABLES_ENCRYPTED',
      `${migration.overridesFile} is vault-encrypted; leap migrates plain variables files only`,
      {
        file: migration.overridesFile,
        step: 'redeploy/rpc-variables',
        hint: `decrypt it (ansible-vault decrypt ${migration.overridesFile}), re-run leap, and encrypt ${basename(migration.outputFile)} again afterwards`,
      },
    );
  }
  const doc = parse(migration.overridesFile, oldText);
  const values = valuesOf(doc);
  for (const key of keysOf(doc)) {
    if (releaseIdentityVariables.includes(key)) {
      result.releaseKeysRemoved.push({ key, file: migration.overridesFile });
      doc.delete(key);
    } else if (!(key in defaults)) result.copied.push(key);
    else if (isDeepStrictEqual(defaults[key], values[key])) {
      result.dropped.push(key);
      doc.delete(key);
    } else result.conflicts.push({ key, operator: values[key], default: defaults[key], file: migration.outputFile });
  }
  plan.oldFiles.push(migration.overridesFile);
  plan.outputs.set(migration.outputFile, doc);
  after.delete(basename(migration.overridesFile));
  after.set(basename(migration.outputFile), valuesOf(doc));
}

/**
 * Pins, in the last-loaded override file, every operator key whose effective value the new layout would change;
 * throws when a later file still changes one. Returns the keys pinned.
 */
async function pinMovedKeys(
  plan: MigrationPlan,
  before: Map<string, Record<string, unknown>>,
  configDir: string,
  rpcDefaultsDir: string,
): Promise<string[]> {
  const { result, after, outputs } = plan;
  const removed = new Set(result.releaseKeysRemoved.map((entry) => entry.key));
  const operatorKeys = new Set(
    [...before]
      .filter(([name]) => !DEFAULTS_FILE.test(name))
      .flatMap(([, values]) => Object.keys(values))
      .filter((key) => !removed.has(key)),
  );
  const wanted = effective(before);
  const changed = () =>
    [...operatorKeys].filter((key) => !isDeepStrictEqual(effective(after).get(key), wanted.get(key)));
  const moved = changed();
  if (moved.length > 0) {
    // The last override file in load order: a value written there wins over every file this step installs.
    const pinFile = [...rpcVariableMigrations(configDir, rpcDefaultsDir)]
      .map((m) => m.outputFile)
      .sort()
      .at(-1)!;
    result.pinFile = pinFile;
    let doc = outputs.get(pinFile);
    if (doc === undefined) {
      const text = await readText(pinFile);
      doc = text === undefined ? parseDocument('---\n') : parse(pinFile, text);
      outputs.set(pinFile, doc);
    }
    for (const key of moved) {
      doc.set(key, doc.createNode(wanted.get(key)));
      result.pinned.push(key);
    }
    after.set(basename(pinFile), valuesOf(doc));
    const still = changed();
    if (still.length > 0) {
      throw new OsaDeployError(
        'LEAP_RPC_VARIABLES_NOT_KEPT',
        `the RPC variable migration would change the value of ${still.join(', ')}; nothing was written`,
        {
          file: join(configDir, 'user_variables.yml'),
          step: 'redeploy/rpc-variables',
          hint: 'a user_*.yml file loaded after the override files sets these keys; set each in one file only, then re-run leap',
        },
      );
    }
  }
  return moved;
}

/** Backs up the old files, installs the defaults, writes the override files, then removes the old files. */
async function writeMigration(plan: MigrationPlan, backupDir: string): Promise<void> {
  const { result, outputs, oldFiles, defaultsToInstall } = plan;
  await mkdir(backupDir, { recursive: true });
  for (const file of oldFiles) await backupOnce(file, backupDir, 'before-rpc-migration');
  for (const { source, target } of defaultsToInstall) {
    if (await exists(target)) await backupOnce(target, backupDir, 'before-rpc-migration');
    await copyFileAtomic(source, target);
    result.defaultsInstalled.push(target);
  }
  for (const [file, doc] of outputs) {
    if (await exists(file)) await backupOnce(file, backupDir, 'before-rpc-migration');
    await writeFileAtomic(file, doc.toString({ lineWidth: 0 }));
  }
  for (const file of oldFiles) await rm(file);
}

function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}
