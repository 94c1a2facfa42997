import { cpSync, existsSync, mkdirSync, readdirSync, realpathSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LabError } from './errors.js';
import { writeAnsibleInventory, writeHostCommandStandIns, writeOpenstackAnsibleWrapper } from './ansible-files.js';
import { startLabDatabase, stopLabDatabase } from './database.js';
import { seedLabDatabase } from './db-seed.js';
import { writeDeployDir } from './deploy-dir.js';
import { writeCachedFacts } from './facts.js';
import { buildLabRepos } from './git-repos.js';
import { writeHostRoots } from './host-roots.js';
import { physicalHostsOf, readInventoryView } from './inventory-view.js';
import { writeLabFile, type LabStub } from './lab-file.js';
import { generateLabInventory } from './lab-inventory.js';
import { writeLeapYaml } from './leap-yaml.js';
import { writeReleaseCommands } from './release-commands.js';
import { releaseFileContent } from './releases.js';
import { Seeded } from './seed.js';
import { MAX_LAB_HOSTS, planTopology } from './topology.js';
import { LAB_SOURCES, type LabDatabase, type LabInfo, type LabOptions } from './types.js';

export const DEFAULT_LAB_SEED = 'leap-lab';
export const DEFAULT_LAB_HOSTS = 3;

/**
 * Builds a Kilo (or Liberty/Mitaka) deployment under `dir` that differs from production only by its leap.yaml:
 * git checkouts behind file:// origins, an /etc/openstack_deploy, a running mariadbd with the source
 * release's databases, stand-in migration commands and playbooks, one folder per host. Same seed, same lab.
 */
export async function createLab(dir: string, options: LabOptions = {}): Promise<LabInfo> {
  const source = options.source ?? 'kilo';
  const seed = options.seed ?? DEFAULT_LAB_SEED;
  const hostCount = options.hosts ?? DEFAULT_LAB_HOSTS;
  if (!LAB_SOURCES.includes(source)) {
    throw new LabError('LEAP_LAB_OPTIONS', `unknown lab source '${String(source)}'`, { hint: `use one of ${LAB_SOURCES.join(', ')}` });
  }
  if (!Number.isInteger(hostCount) || hostCount < 1 || hostCount > MAX_LAB_HOSTS) {
    throw new LabError('LEAP_LAB_OPTIONS', `--hosts must be a whole number from 1 to ${MAX_LAB_HOSTS}, not ${hostCount}`);
  }
  const fromDeployDir = options.fromDeployDir === undefined ? null : resolve(options.fromDeployDir);
  if (fromDeployDir !== null && !existsSync(join(fromDeployDir, 'openstack_inventory.json'))) {
    throw new LabError('LEAP_LAB_OPTIONS', `${fromDeployDir} has no openstack_inventory.json`, {
      file: fromDeployDir,
      hint: 'point --from-deploy-dir at a copy of a deployed /etc/openstack_deploy (the lab takes its hosts from the inventory)',
    });
  }
  const root = prepareDir(dir);
  const stub: LabStub = { format: 1, complete: false, dir: root };
  writeLabFile(root, stub);

  const seeded = new Seeded(seed);
  const topology = planTopology(hostCount, seeded);
  const deployDir = join(root, 'etc', 'openstack_deploy');
  if (fromDeployDir === null) {
    writeDeployDir(deployDir, topology, seeded, source);
    await generateLabInventory(deployDir, seed);
  } else {
    // A leap begun on the real host must not look begun in the rehearsal.
    cpSync(fromDeployDir, deployDir, { recursive: true, filter: (src) => !src.startsWith(join(fromDeployDir, 'upgrade-leap')) });
  }
  const view = readInventoryView(join(deployDir, 'openstack_inventory.json'))!;
  writeCachedFacts(deployDir, view);
  const hostsRoot = join(root, 'hosts');
  writeHostRoots(hostsRoot, view, source);
  const inventory = writeAnsibleInventory(root);
  const openstackAnsible = writeOpenstackAnsibleWrapper(root);
  writeHostCommandStandIns(root);
  const releaseFile = join(root, 'etc', 'openstack-release');
  writeFileSync(releaseFile, releaseFileContent(source));
  mkdirSync(join(root, 'openstack', 'backup'), { recursive: true });
  mkdirSync(join(root, 'fail-once'), { recursive: true });
  const repos = await buildLabRepos(root, source);
  const migrationVenvs = writeReleaseCommands(root);

  let database: LabDatabase | undefined;
  try {
    database = await startLabDatabase(root, seeded);
    writeLabFile(root, { ...stub, database: { pid: database.pid, datadir: database.datadir } });
    await seedLabDatabase(database, source, view, topology.internalVip);
  } catch (error) {
    if (database !== undefined) await stopLabDatabase(database);
    throw error;
  }

  const info: LabInfo & { complete: true } = {
    format: 1,
    complete: true,
    dir: root,
    source,
    seed,
    target: 'r14.1.0',
    hosts: physicalHostsOf(view),
    containers: Object.fromEntries(view.hosts.filter((h) => h.isContainer).map((h) => [h.name, h.physicalHost])),
    fromDeployDir,
    database,
    git: { rpco: repos.rpco, osa: repos.osa },
    paths: {
      leapYaml: join(root, 'leap.yaml'),
      deployDir,
      rpcoDir: join(root, 'opt', 'rpc-openstack'),
      releaseFile,
      backupDir: join(root, 'openstack', 'backup'),
      inventory,
      openstackAnsible,
      hostsRoot,
    },
  };
  writeLeapYaml(info, migrationVenvs);
  writeLabFile(root, info);
  return info;
}

/** Creates `dir` (or accepts an empty one) and returns its real path; never builds over existing files. */
function prepareDir(dir: string): string {
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    throw new LabError('LEAP_LAB_DIR_NOT_EMPTY', `${dir} is not empty`, { file: dir, hint: 'create the lab in a new or empty folder' });
  }
  mkdirSync(dir, { recursive: true });
  return realpathSync(dir);
}
