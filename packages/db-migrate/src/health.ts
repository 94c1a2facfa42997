import { connect, type DbConnectionOptions } from './connection.js';
import { DbMigrateError } from './errors.js';
import { isGalera, readWsrepStatus, type WsrepStatus } from './galera.js';

export interface HealthCheck {
  name: string;
  expected: string;
  actual: string;
  ok: boolean;
  /** What to do when it fails. */
  hint: string;
}

export interface HealthReport {
  where: string;
  galera: boolean;
  serverVersion: string;
  checks: HealthCheck[];
  ok: boolean;
  summary: string;
}

/** The Galera checks on one node's wsrep status; pure, so any status can be tested. */
export function evaluateWsrep(status: WsrepStatus, expectedClusterSize?: number): HealthCheck[] {
  const check = (name: string, expected: string, hint: string): HealthCheck => {
    const actual = status[name] ?? '(missing)';
    return { name, expected, actual, ok: actual === expected, hint };
  };
  const checks = [
    check(
      'wsrep_cluster_status',
      'Primary',
      'the node lost quorum; find the most advanced node (grastate.dat seqno / --wsrep-recover) and bootstrap the cluster from it',
    ),
    check(
      'wsrep_ready',
      'ON',
      'the node does not accept queries; check its error log and that it has joined the cluster',
    ),
    check(
      'wsrep_connected',
      'ON',
      'the node is not connected to the cluster; check the network between galera nodes and wsrep_cluster_address',
    ),
    check(
      'wsrep_local_state_comment',
      'Synced',
      'wait until the node has finished its state transfer (Joining/Donor/Joined) and is Synced',
    ),
  ];
  if (expectedClusterSize !== undefined) {
    checks.push(
      check(
        'wsrep_cluster_size',
        String(expectedClusterSize),
        `the inventory has ${expectedClusterSize} galera nodes; start the missing ones and wait until they are Synced`,
      ),
    );
  }
  return checks;
}

/** Reads the server's health; on plain MariaDB it says so and has no Galera checks. */
export async function checkHealth(options: DbConnectionOptions, expectedClusterSize?: number): Promise<HealthReport> {
  const db = await connect(options);
  try {
    const [{ version }] = await db.query<[{ version: string }]>('SELECT VERSION() AS version');
    if (!(await isGalera(db))) {
      return {
        where: db.where,
        galera: false,
        serverVersion: version,
        checks: [],
        ok: true,
        summary: `${db.where}: MariaDB ${version}, not a Galera node (wsrep_on is OFF); no cluster checks apply`,
      };
    }
    const checks = evaluateWsrep(await readWsrepStatus(db), expectedClusterSize);
    const ok = checks.every((c) => c.ok);
    const failed = checks.filter((c) => !c.ok).map((c) => `${c.name} is ${c.actual}, expected ${c.expected}`);
    return {
      where: db.where,
      galera: true,
      serverVersion: version,
      checks,
      ok,
      summary: ok ? `${db.where}: Galera node healthy` : `${db.where}: ${failed.join('; ')}`,
    };
  } finally {
    await db.close();
  }
}

/** The gate before every database step: throws LEAP_DB_UNHEALTHY naming the first failed check and what to do. */
export async function assertHealthy(options: DbConnectionOptions, expectedClusterSize?: number): Promise<HealthReport> {
  const report = await checkHealth(options, expectedClusterSize);
  const failed = report.checks.filter((c) => !c.ok);
  if (failed.length > 0) {
    throw new DbMigrateError('LEAP_DB_UNHEALTHY', `the Galera cluster is not healthy: ${report.summary}`, {
      hint: failed.map((c) => c.hint).join('; '),
      host: report.where,
    });
  }
  return report;
}
