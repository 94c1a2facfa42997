import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { HealthFinding, RouterMap } from '@leap/osa-deploy';
import type { LeapRuntime } from '../plan/runtime.js';

/** `leap verify`'s answer: every check, and whether all hold. */
export interface VerifyReport {
  ok: boolean;
  findings: HealthFinding[];
  /** Problems leap.yaml's verify.ignore matched: shown, never failing the check. */
  ignored: string[];
}

/** What a check needs from whoever runs it: a way to stop it, and to keep the secrets it reads out of output. */
export interface VerifyContext {
  signal?: AbortSignal;
  addSecret(value: string): void;
}

/**
 * The post-leap health report (upstream's operator-run rpc-post-upgrades.yml): the Galera cluster, then the
 * services, agents, ports and routers through the APIs, routers against the map recorded before the services
 * were stopped.
 */
export async function verifyLeap(rt: LeapRuntime, ctx: VerifyContext): Promise<VerifyReport> {
  const { checkOpenstackHealth } = await import('@leap/osa-deploy');
  const { openstackClientsFor } = await import('../plan/openstack-clients.js');
  const found = [await galeraFinding(rt, ctx)];
  found.push(...(await checkOpenstackHealth(await openstackClientsFor(rt, ctx), await routerMapBefore(rt))));
  found.push(await novaVenvFinding(rt, ctx));
  const ignoredBy = (problem: string) => rt.config.verify.ignore.some((pattern) => problem.includes(pattern));
  const findings = found.map((f) => {
    const problems = f.problems.filter((p) => !ignoredBy(p));
    return { ...f, ok: problems.length === 0, problems };
  });
  const ignored = found.flatMap((f) => f.problems.filter(ignoredBy));
  return { ok: findings.every((f) => f.ok), findings, ignored };
}

async function galeraFinding(rt: LeapRuntime, ctx: VerifyContext): Promise<HealthFinding> {
  const { checkHealth } = await import('@leap/db-migrate');
  const { databaseConnection } = await import('../plan/database-connection.js');
  const { galeraClusterSize } = await import('../plan/galera-cluster-size.js');
  const db = await databaseConnection(rt.config);
  if (db.password) ctx.addSecret(db.password);
  const health = await checkHealth(db, await galeraClusterSize(rt));
  return {
    check: 'galera cluster',
    ok: health.ok,
    looked: health.galera
      ? `${health.where}, ${health.checks.length} wsrep values`
      : `${health.where}, not a Galera node`,
    problems: health.checks.filter((c) => !c.ok).map((c) => `${c.name} is ${c.actual}, expected ${c.expected}`),
  };
}

/**
 * Every nova process on the nova hosts runs from the Newton venv (upstream's post-upgrade-nova-venv.yml): the
 * process lists come from service-processes.yml; a run that cannot list them is a problem, not a crash.
 */
async function novaVenvFinding(rt: LeapRuntime, ctx: VerifyContext): Promise<HealthFinding> {
  const { serviceProcessesItem, readProcessLists, checkServiceVenv } = await import('@leap/osa-deploy');
  const { runPlaybookItem } = await import('../plan/playbook-step.js');
  const { serviceVenvBin } = await import('../plan/openstack-release.js');
  const file = join(rt.paths.logs, 'verify', 'nova-processes.json');
  const item = serviceProcessesItem('nova_all', 'nova-', file, { id: 'verify/nova-processes' });
  try {
    const venvBin = await serviceVenvBin(rt, 'nova', 'add "nova processes" to verify.ignore in leap.yaml');
    await mkdir(join(rt.paths.logs, 'verify'), { recursive: true });
    const signal = ctx.signal ?? new AbortController().signal;
    await runPlaybookItem(rt, { signal, progress: () => undefined }, item);
    return checkServiceVenv('nova', await readProcessLists(file), venvBin);
  } catch (error) {
    if (ctx.signal?.aborted === true) throw error;
    return {
      check: 'nova processes from the venv',
      ok: false,
      looked: 'the nova hosts',
      problems: [`could not list the nova processes: ${(error as Error).message.split('\n')[0]}`],
    };
  }
}

/** The routers' L3 agents as `services/router-map` journaled them before the services stopped. */
async function routerMapBefore(rt: LeapRuntime): Promise<RouterMap | undefined> {
  const { readJournal, journalPath } = await import('@leap/markers');
  const { entries } = await readJournal(journalPath(rt.config.markerDir));
  const recorded = (entries as unknown as Array<Record<string, unknown>>).filter((e) => e.kind === 'router-map').at(-1);
  return recorded?.routers as RouterMap | undefined;
}

/** The report for a terminal: one line per check, each problem under it. */
export function formatVerify(report: VerifyReport): string {
  const lines = report.findings.flatMap((f) => [
    `${f.ok ? '✔' : '✖'} ${f.check}: ${f.ok ? 'ok' : `${f.problems.length} problem${f.problems.length === 1 ? '' : 's'}`} (${f.looked})`,
    ...f.problems.map((p) => `    - ${p}`),
  ]);
  lines.push(...report.ignored.map((p) => `ignored (verify.ignore in leap.yaml): ${p}`));
  const problems = report.findings.reduce((n, f) => n + f.problems.length, 0);
  lines.push(
    report.ok
      ? 'the cloud is healthy after the leap'
      : `${problems} problem${problems === 1 ? '' : 's'}: the cloud is not healthy`,
  );
  return lines.join('\n');
}
