import { resolveSource } from '../commands/shared.js';
import type { LeapConfig } from '../config.js';
import type { LeapRuntime } from '../plan/runtime.js';
import { releasesAfter, type TargetSeries } from '../release.js';
import { vaultAccess } from '../plan/vault-access.js';
import { checkConfiguration } from './config-check.js';
import { checkDatabaseClients } from './database-clients-check.js';
import { checkDeployHost } from './deploy-host-check.js';
import { checkFlavorData } from './flavor-data-check.js';
import { checkSourceRelease } from './release-check.js';
import { checkRuntime, type RuntimeProbe } from './runtime-check.js';
import { checkGaleraCommands } from './galera-commands-check.js';
import { checkMigrationVenvs } from './migration-venvs-check.js';
import { checkPipUnify } from './pip-unify-check.js';
import { checkFreeSpace } from './space-check.js';
import type { CheckResult } from './types.js';
import { checkVault } from './vault-check.js';

type Check = { id: string; run(): Promise<CheckResult> | CheckResult };

/** Every read-only check, in order; a check that throws is reported as failed, never hides the others. */
export async function runPreflightChecks(rt: LeapRuntime, recordedSource: string | undefined): Promise<CheckResult[]> {
  const { config } = rt;
  const checks: Check[] = [
    { id: 'runtime', run: () => checkRuntime(runtimeProbe(rt)) },
    { id: 'source-release', run: () => checkSourceRelease(config, recordedSource) },
    { id: 'vault', run: () => checkVault(config, vaultPasswordFile(rt)) },
    { id: 'configuration', run: () => checkConfiguration(config, vaultAccess(rt)) },
    { id: 'backup-space', run: () => checkFreeSpace(config.backupDir, config.preflight.minFreeBytes) },
    { id: 'database-clients', run: () => checkDatabaseClients(config) },
    { id: 'deploy-host-packages', run: () => checkDeployHost(config, rt.localExec) },
    { id: 'flavor-data', run: () => checkFlavorData(rt) },
    { id: 'migration-venvs', run: () => checkMigrationVenvs(rt, venvReleases(config, recordedSource)) },
    { id: 'pip-unify', run: () => checkPipUnify(config) },
    { id: 'galera-commands', run: () => checkGaleraCommands(config, (node) => galeraNodeExec(rt, node)) },
  ];
  const results: CheckResult[] = [];
  for (const check of checks) {
    if (config.preflight.skip.includes(check.id)) {
      results.push({
        id: check.id,
        title: check.id,
        status: 'skipped',
        message: 'skipped by leap.yaml (preflight.skip)',
      });
      continue;
    }
    try {
      results.push(await check.run());
    } catch (error) {
      const e = error as Error & { hint?: string };
      results.push({
        id: check.id,
        title: check.id,
        status: 'failed',
        message: e.message,
        ...(e.hint ? { hint: e.hint } : {}),
      });
    }
  }
  return results;
}

/** The releases whose migrations the leap runs: all three unless the source says otherwise. */
function venvReleases(config: LeapConfig, recordedSource: string | undefined): TargetSeries[] {
  try {
    return releasesAfter(resolveSource(config, recordedSource).source);
  } catch {
    return releasesAfter('kilo');
  }
}

/** A galera node's commands run in its container (one host pattern per container), or here with `runner: local`. */
async function galeraNodeExec(rt: LeapRuntime, node: string) {
  if (rt.config.runner === 'local') return rt.localExec;
  const { ansibleExec } = await import('../exec/ansible-exec.js');
  return ansibleExec(rt.config, node, { firstHost: false });
}

function runtimeProbe(rt: LeapRuntime): RuntimeProbe {
  return {
    localExec: rt.localExec,
    ansibleCommand: rt.config.ansible.execCommand,
    targetExec: () => rt.execOn('galera_all'),
    dumpClient: async () => {
      const { findDatabaseTools } = await import('@leap/db-migrate');
      return (await findDatabaseTools(rt.config.database.tools ?? {})).dump;
    },
  };
}

export function vaultPasswordFile(rt: LeapRuntime): string | undefined {
  return vaultAccess(rt).vault?.passwordFile;
}

export function formatChecks(results: CheckResult[]): string {
  const icon = { ok: '✔', failed: '✖', warning: '!', skipped: '-' } as const;
  return results
    .map((r) => `${icon[r.status]} ${r.id}: ${r.message}${r.hint ? `\n    hint: ${r.hint}` : ''}`)
    .join('\n');
}
