import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { leapPlaybook } from './leap-playbooks.js';
import type { PlaybookItem } from './playbook-runner.js';
import {
  destroyHostsFor,
  rebuildKeepingData,
  redeploySequence,
  rpcAdditionPlaybooks,
  rpcAptSources,
  rpcStagePythonArtifacts,
  type HookPoint,
  type RpcAdditionSwitch,
} from './releases/newton.js';

/** One playbook of the re-deploy: a plan step of its own, resumed by id, never by position. */
export interface RedeployItem extends PlaybookItem {
  /** `osa`: in the playbooks folder; `leap`: shipped in this package (absolute path); `rpc`/`hook`: given by the caller. */
  owner: 'osa' | 'leap' | 'rpc' | 'hook';
  /** The marker the bash tooling (OPS `run_lock`) wrote for the same playbook, so a leap begun with it can resume here. */
  legacyMarker: string;
}

export interface RedeployOptions {
  /** Prefix of every id. Default `newton/redeploy`. */
  idPrefix?: string;
  /** Deploy Swift (default true); false keeps it out of the run (SKIP_SWIFT_UPGRADE). */
  swift?: boolean;
  /** Gnocchi stores its metrics in Swift: its identity is deployed before Swift (see gnocchiUsesSwift). */
  gnocchiOnSwift?: boolean;
  /** Host pattern of the containers destroyed with their data. Default: releases/newton.ts destroyHostsFor({ swift }). */
  destroyHosts?: string;
  /** A file on the deploy host that exists only once the database backups are verified; Galera is not stopped without it. */
  backupMarker: string;
  /** Where the old haproxy init scripts are kept. */
  backupDir: string;
  /** Default /etc/openstack_deploy (read for the forgotten neutron agents containers, facts cleaned there). */
  configDir?: string;
  /** Extra playbooks at the six hook points. */
  hooks?: Partial<Record<HookPoint, PlaybookItem[]>>;
  /** RPC-O's rpcd/playbooks folder: adds its stage-python-artifacts.yml before setup-infrastructure. */
  rpcPlaybooksDir?: string;
  /** The folder preparePipUnify made on the deploy host, which pip-unify.yml pushes to every physical host. */
  pipUnifyDir: string;
}

/** OPS `run_lock` marker name: the playbook's base name, then the arguments with every other character as `-`. */
export function legacyMarkerName(playbook: string, args: readonly string[] = []): string {
  return `${basename(playbook)}${args.join(' ').replace(/[^A-Za-z0-9_]/g, '-')}.complete`;
}

function leapVars(key: string, options: RedeployOptions): Record<string, unknown> | undefined {
  const configDir = options.configDir ?? '/etc/openstack_deploy';
  switch (key) {
    case 'galera-stop':
      return { leap_backup_marker: options.backupMarker };
    case 'pip-unify':
      return { leap_pip_unify_dir: options.pipUnifyDir };
    case 'fact-cleanup':
      return { leap_config_dir: configDir };
    case 'destroy-old-containers':
      return {
        leap_destroy_hosts: options.destroyHosts ?? destroyHostsFor(options),
        leap_rebuild_hosts: rebuildKeepingData,
      };
    case 'haproxy-cleanup':
      return { leap_backup_dir: options.backupDir };
    case 'neutron-remove-old-containers':
      return { leap_config_dir: configDir };
    default:
      return undefined;
  }
}

/**
 * The ordered re-deploy of the target release (leap-anchors §5.3) with the caller's hooks, Swift optional, the
 * Gnocchi identity-first rule and the compute-only second nova pass. Ids are stable: `<prefix>/<key>`.
 */
export function redeployPlaybooks(options: RedeployOptions): RedeployItem[] {
  const prefix = options.idPrefix ?? 'newton/redeploy';
  const hooks: Partial<Record<HookPoint, PlaybookItem[]>> = { ...options.hooks };
  if (options.rpcPlaybooksDir !== undefined) {
    hooks.preSetupInfrastructure = [
      { id: 'rpc-stage-python-artifacts', playbook: join(options.rpcPlaybooksDir, rpcStagePythonArtifacts) },
      ...(hooks.preSetupInfrastructure ?? []),
    ];
  }
  const items: RedeployItem[] = [];
  for (const entry of redeploySequence) {
    if (entry.kind === 'hook') {
      for (const item of hooks[entry.point] ?? []) {
        const owner = item.id.startsWith('rpc-') ? 'rpc' : 'hook';
        items.push({
          ...item,
          id: `${prefix}/${item.id}`,
          owner,
          legacyMarker: legacyMarkerName(item.playbook, item.args),
        });
      }
      continue;
    }
    if (entry.when === 'swift' && options.swift === false) continue;
    if (entry.when === 'gnocchiOnSwift' && !(options.gnocchiOnSwift ?? false)) continue;
    const args = [...(entry.args ?? [])];
    const playbook = entry.owner === 'leap' ? leapPlaybook(entry.playbook) : entry.playbook;
    const extraVars = entry.owner === 'leap' ? leapVars(entry.key, options) : undefined;
    const legacyArgs = entry.legacy?.args ?? (entry.limit === undefined ? args : [...args, '--limit', entry.limit]);
    items.push({
      id: `${prefix}/${entry.key}`,
      playbook,
      owner: entry.owner,
      ...(args.length > 0 ? { args } : {}),
      ...(entry.limit === undefined ? {} : { limit: entry.limit }),
      ...(extraVars === undefined ? {} : { extraVars }),
      legacyMarker: legacyMarkerName(entry.legacy?.playbook ?? entry.playbook, legacyArgs),
    });
  }
  return items;
}

/**
 * True when some `*.yml`/`*.yaml` of the deployment folder sets `gnocchi_storage_driver` to a Swift driver
 * (the rule of leap-anchors §5.3 step 21).
 */
export async function gnocchiUsesSwift(configDir: string): Promise<boolean> {
  const names = (await readdir(configDir)).filter((name) => /\.ya?ml$/.test(name));
  for (const name of names) {
    const text = await readFile(join(configDir, name), 'utf8').catch(() => '');
    if (/^gnocchi_storage_driver\b.*\bswift\b/m.test(text)) return true;
  }
  return false;
}

export interface RpcAdditionsOptions {
  /** RPC-O's rpcd/playbooks folder (production: /opt/rpc-openstack/rpcd/playbooks). */
  rpcPlaybooksDir: string;
  idPrefix?: string;
  /** rpc-support.yml (DEPLOY_SUPPORT_ROLE); unset: decided when it runs from what Kilo had (kiloRpcAdditions). */
  supportRole?: boolean;
  /** setup-logging.yml (DEPLOY_ELK); unset: decided when it runs from what Kilo had. */
  elk?: boolean;
  /** setup-maas.yml and verify-maas.yml (DEPLOY_MAAS); unset: decided when it runs from what Kilo had. */
  maas?: boolean;
  /** Replaces the default list entirely. */
  playbooks?: PlaybookItem[];
}

/**
 * RPC's apt sources configured on every host before the re-deploy installs a package (§5.1 R4). It changes only
 * /etc/apt/sources.list and pip's source, which no running service reads, so it runs before the downtime. Takes RU's
 * marker `configure-apt-sources-rpc`.
 */
export function rpcAptSourcesItem(options: { rpcPlaybooksDir: string; id?: string }): RedeployItem {
  return {
    id: options.id ?? 'redeploy/rpc-apt-sources',
    playbook: join(options.rpcPlaybooksDir, rpcAptSources),
    owner: 'rpc',
    legacyMarker: 'configure-apt-sources-rpc.complete',
  };
}

/** An RPC addition whose switch the caller left unset: it runs only if the Kilo deployment had it (kiloRpcAdditions). */
export interface RpcAdditionItem extends RedeployItem {
  ifKiloHad?: RpcAdditionSwitch;
}

/**
 * The RPC additions deployed on top of the re-deployed release (leap-anchors §6), in order: those switched on, and
 * those whose switch is unset, marked to be decided when they run.
 */
export function rpcAdditionItems(options: RpcAdditionsOptions): RpcAdditionItem[] {
  const prefix = options.idPrefix ?? 'newton/rpc';
  const base: Array<PlaybookItem & { ifKiloHad?: RpcAdditionSwitch }> =
    options.playbooks ??
    rpcAdditionPlaybooks
      .filter((entry) => options[entry.when] !== false)
      .map((entry) => ({
        id: entry.key,
        playbook: join(options.rpcPlaybooksDir, entry.playbook),
        ...(options[entry.when] === undefined ? { ifKiloHad: entry.when } : {}),
      }));
  return base.map((item) => ({
    ...item,
    id: `${prefix}/${item.id}`,
    owner: 'rpc' as const,
    legacyMarker: legacyMarkerName(item.playbook, item.args),
  }));
}
