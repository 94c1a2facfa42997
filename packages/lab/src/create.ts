import { cpSync, existsSync, mkdirSync, readdirSync, realpathSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LabError } from './errors.js';
import { writeAnsibleInventory, writeHostCommandStandIns, writeOpenstackAnsibleWrapper } from './ansible-files.js';
import { writeContainerTypes } from './container-types.js';
import { startLabDatabase, stopLabDatabase } from './database.js';
import { seedLabDatabase } from './db-seed.js';
import { writeDeployDir } from './deploy-dir.js';
import { planLabGalera, startLabGalera, stopLabGalera, withSerialAutoIncrement } from './galera-cluster.js';
import { writeCachedFacts } from './facts.js';
import { buildLabRepos } from './git-repos.js';
import { writeHostRoots } from './host-roots.js';
import { physicalHostsOf, readInventoryView, type InventoryView } from './inventory-view.js';
import { writeLabFile, type LabStub } from './lab-file.js';
import { generateLabInventory } from './lab-inventory.js';
import { writeLeapYaml, type LabMigrationVenvs } from './leap-yaml.js';
import { labKeystoneAdmin, utilityOpenrcPath } from './openrc.js';
import { writeOpenstackClients, type LabOpenstackClients } from './openstack-clients.js';
import { writeLabPipUnify, type LabPipUnify } from './pip-unify.js';
import { writeVenvTarballs } from './venv-tarballs.js';
import { writeReleaseCommands } from './release-commands.js';
import { releaseFileContent } from './releases.js';
import { Seeded } from './seed.js';
import { MAX_LAB_HOSTS, planTopology, type LabTopology } from './topology.js';
import {
  LAB_SOURCES,
  type LabDatabase,
  type LabGaleraNode,
  type LabInfo,
  type LabOptions,
  type LabSource,
} from './types.js';

export const DEFAULT_LAB_SEED = 'leap-lab';
export const DEFAULT_LAB_HOSTS = 3;

/**
 * Builds a Kilo (or Liberty/Mitaka) deployment under `dir` that differs from production only by its leap.yaml:
 * git checkouts behind file:// origins, an /etc/openstack_deploy, a running mariadbd with the source
 * release's databases, stand-in migration commands and playbooks, one folder per host. Same seed, same lab.
 */
export async function createLab(dir: string, options: LabOptions = {}): Promise<LabInfo> {
  const settings = labSettings(options);
  const root = prepareDir(dir);
  const stub: LabStub = { format: 1, complete: false, dir: root };
  await writeLabFile(root, stub);

  const seeded = new Seeded(settings.seed);
  const topology = planTopology(settings.hostCount, seeded);
  const files = await writeLabFiles(root, settings, topology, seeded);
  const galeraNodes = settings.singleDb ? undefined : await planLabGalera(root, files.hostsRoot, files.view);
  const database = await startSeededDatabase(
    root,
    { ...stub, ...(galeraNodes ? { galera: { nodes: galeraNodes } } : {}) },
    seeded,
    settings,
    files.view,
    topology.internalVip,
  );
  const info = labInfo(root, settings, files, database, galeraNodes);
  writeLeapYaml(info, files.migrationVenvs, files.clients, files.pipUnify);
  await writeLabFile(root, info);
  return info;
}

/** The lab's options with their defaults, checked. */
interface LabSettings {
  source: LabSource;
  seed: string;
  hostCount: number;
  fromDeployDir: string | null;
  singleDb: boolean;
}

/** The nodes of the cluster a lab runs unless --single-db: three, as a production cloud's. */
export const LAB_GALERA_NODES = 3;

function labSettings(options: LabOptions): LabSettings {
  const source = options.source ?? 'kilo';
  const seed = options.seed ?? DEFAULT_LAB_SEED;
  const hostCount = options.hosts ?? DEFAULT_LAB_HOSTS;
  if (!LAB_SOURCES.includes(source)) {
    throw new LabError('LEAP_LAB_OPTIONS', `unknown lab source '${String(source)}'`, {
      hint: `use one of ${LAB_SOURCES.join(', ')}`,
    });
  }
  if (!Number.isInteger(hostCount) || hostCount < 1 || hostCount > MAX_LAB_HOSTS) {
    throw new LabError(
      'LEAP_LAB_OPTIONS',
      `--hosts must be a whole number from 1 to ${MAX_LAB_HOSTS}, not ${hostCount}`,
      {
        hint: `pass --hosts with a number from 1 to ${MAX_LAB_HOSTS}`,
      },
    );
  }
  const fromDeployDir = options.fromDeployDir === undefined ? null : resolve(options.fromDeployDir);
  if (fromDeployDir !== null && !existsSync(join(fromDeployDir, 'openstack_inventory.json'))) {
    throw new LabError('LEAP_LAB_OPTIONS', `${fromDeployDir} has no openstack_inventory.json`, {
      file: fromDeployDir,
      hint: 'point --from-deploy-dir at a copy of a deployed /etc/openstack_deploy (the lab takes its hosts from the inventory)',
    });
  }
  return { source, seed, hostCount, fromDeployDir, singleDb: options.singleDb === true };
}

/** What the lab's files are and where: everything but the database. */
interface LabFiles {
  view: InventoryView;
  deployDir: string;
  hostsRoot: string;
  inventory: string;
  openstackAnsible: string;
  releaseFile: string;
  repos: Awaited<ReturnType<typeof buildLabRepos>>;
  migrationVenvs: LabMigrationVenvs;
  clients: LabOpenstackClients & { cinderManage: string };
  pipUnify: LabPipUnify;
}

/**
 * The deploy folder and its inventory, host folders, Ansible wrapper and stand-ins, git repos, release commands,
 * and the get-pip.py and wheels for pip-unify.
 */
async function writeLabFiles(
  root: string,
  settings: LabSettings,
  topology: LabTopology,
  seeded: Seeded,
): Promise<LabFiles> {
  const { source, seed, fromDeployDir } = settings;
  const deployDir = join(root, 'etc', 'openstack_deploy');
  if (fromDeployDir === null) {
    writeDeployDir(deployDir, topology, seeded, source, settings.singleDb ? 1 : LAB_GALERA_NODES);
    await generateLabInventory(deployDir, seed);
  } else {
    // A leap begun on the real host must not look begun in the rehearsal.
    cpSync(fromDeployDir, deployDir, {
      recursive: true,
      filter: (src) => !src.startsWith(join(fromDeployDir, 'upgrade-leap')),
    });
  }
  const view = readInventoryView(join(deployDir, 'openstack_inventory.json'))!;
  writeCachedFacts(deployDir, view);
  const hostsRoot = join(root, 'hosts');
  writeHostRoots(hostsRoot, view, source, { placeholderGaleraData: settings.singleDb });
  const inventory = writeAnsibleInventory(root);
  writeContainerTypes(root, join(deployDir, 'openstack_inventory.json'));
  const openstackAnsible = writeOpenstackAnsibleWrapper(root);
  writeHostCommandStandIns(root);
  const admin = labKeystoneAdmin(deployDir, seeded, topology.internalVip);
  const clients = writeOpenstackClients(root, admin, utilityOpenrcPath(hostsRoot, view));
  const releaseFile = join(root, 'etc', 'openstack-release');
  writeFileSync(releaseFile, releaseFileContent(source));
  mkdirSync(join(root, 'openstack', 'backup'), { recursive: true });
  mkdirSync(join(root, 'fail-once'), { recursive: true });
  const repos = await buildLabRepos(root, source);
  // Kilo's nova-manage is a folder on the hosts (production: Kilo's own); the later releases come as tarballs.
  const releaseCommands = writeReleaseCommands(root);
  const migrationVenvs = { kilo: releaseCommands.kilo, ...(await writeVenvTarballs(root)) };
  const cinderManage = join(releaseCommands.newton, 'bin', 'cinder-manage');
  const pipUnify = writeLabPipUnify(root);
  return {
    view,
    deployDir,
    hostsRoot,
    inventory,
    openstackAnsible,
    releaseFile,
    repos,
    migrationVenvs,
    clients: { ...clients, cinderManage },
    pipUnify,
  };
}

/**
 * Starts the lab's Galera cluster (its nodes in lab.json first) or, with --single-db, one mariadbd (recorded in
 * lab.json at once), and loads the source release's databases; stops what it started on failure.
 */
async function startSeededDatabase(
  root: string,
  stub: LabStub,
  seeded: Seeded,
  settings: LabSettings,
  view: InventoryView,
  internalVip: string,
): Promise<LabDatabase> {
  let database: LabDatabase | undefined;
  try {
    if (stub.galera === undefined) {
      database = await startLabDatabase(root, seeded);
      await writeLabFile(root, { ...stub, database: { pid: database.pid, datadir: database.datadir } });
      await seedLabDatabase(database, settings.source, view, internalVip);
      return database;
    }
    await writeLabFile(root, stub);
    const first = await startLabGalera(root, stub.galera.nodes);
    await withSerialAutoIncrement(first, () => seedLabDatabase(first, settings.source, view, internalVip));
    return first;
  } catch (error) {
    if (stub.galera !== undefined) await stopLabGalera(stub.galera.nodes);
    else if (database !== undefined) await stopLabDatabase(database);
    throw error;
  }
}

/** lab.json's content for a complete lab. */
function labInfo(
  root: string,
  settings: LabSettings,
  files: LabFiles,
  database: LabDatabase,
  galeraNodes: LabGaleraNode[] | undefined,
): LabInfo & { complete: true } {
  const { view } = files;
  return {
    format: 1,
    complete: true,
    dir: root,
    source: settings.source,
    seed: settings.seed,
    target: 'r14.1.0',
    hosts: physicalHostsOf(view),
    containers: Object.fromEntries(view.hosts.filter((h) => h.isContainer).map((h) => [h.name, h.physicalHost])),
    fromDeployDir: settings.fromDeployDir,
    database,
    ...(galeraNodes === undefined ? {} : { galera: { nodes: galeraNodes } }),
    git: { rpco: files.repos.rpco, osa: files.repos.osa },
    paths: {
      leapYaml: join(root, 'leap.yaml'),
      deployDir: files.deployDir,
      rpcoDir: join(root, 'opt', 'rpc-openstack'),
      releaseFile: files.releaseFile,
      backupDir: join(root, 'openstack', 'backup'),
      inventory: files.inventory,
      openstackAnsible: files.openstackAnsible,
      hostsRoot: files.hostsRoot,
    },
  };
}

/** Creates `dir` (or accepts an empty one) and returns its real path; never builds over existing files. */
function prepareDir(dir: string): string {
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    throw new LabError('LEAP_LAB_DIR_NOT_EMPTY', `${dir} is not empty`, {
      file: dir,
      hint: 'create the lab in a new or empty folder',
    });
  }
  mkdirSync(dir, { recursive: true });
  return realpathSync(dir);
}
