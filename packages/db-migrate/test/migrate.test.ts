import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { batchOf, type BatchingExec } from '@leap/contract';
import { tempDir } from '@leap/test-fixtures';
import {
  applySqlFix,
  DbMigrateError,
  detectSchemaVersions,
  runMigrations,
  withDb,
  type MigrateOptions,
} from '../src/index.js';
import { localExecWith, serverPerFile } from './helpers.js';

const lab = serverPerFile();
import { makeStandinVenvs } from './fixtures/standins.js';

async function setup(env: Record<string, string> = {}) {
  const { server, conn } = await lab.fresh({ housekeeping: false });
  const dir = tempDir();
  const log = join(dir, 'calls.log');
  const venvBin = makeStandinVenvs(dir);
  const groups: string[] = [];
  const options: MigrateOptions = {
    db: conn,
    venvBin,
    runnerFor: (group, ctx) => {
      groups.push(`${ctx.release}:${group}:${ctx.user ?? ''}`);
      return localExecWith({ STANDIN_SOCKET: server.socketPath, STANDIN_LOG: log, ...env });
    },
    sqlFixes: { internalLbVipAddress: '172.29.236.100', providerNetworkMtu: { vlan: 9000 } },
  };
  const releaseOf = async () =>
    Object.fromEntries(
      (await withDb(conn, (db) => detectSchemaVersions(db)))
        .filter((v) => v.present)
        .map((v) => [v.service, v.release]),
    );
  return { server, conn, options, log, groups, releaseOf };
}

describe('runMigrations', () => {
  it(
    'takes a Kilo seed through liberty, mitaka and newton in sequence with the stand-in tools',
    { timeout: 240_000 },
    async () => {
      const { options, log, groups, releaseOf } = await setup();
      const seen: Record<string, string | null>[] = [];
      for (const release of ['liberty', 'mitaka', 'newton'] as const) {
        const reports = await runMigrations({ ...options, releases: [release] });
        expect(reports.filter((r) => r.status === 'migrated').map((r) => r.id)).toEqual(
          ['keystone', 'glance', 'cinder', 'nova', 'neutron', 'heat']
            .filter((s) => !(release === 'newton' && s === 'glance'))
            .map((s) => `${release}/migrate/${s}`),
        );
        seen.push(await releaseOf());
      }
      const all = (r: string) => ({ keystone: r, glance: r, cinder: r, nova: r, neutron: r, heat: r });
      // glance has no Newton migration: 44 is both Mitaka's and Newton's final version.
      expect(seen).toEqual([all('liberty'), { ...all('mitaka'), glance: 'newton' }, all('newton')]);
      const calls = readFileSync(log, 'utf8').trim().split('\n');
      expect(calls.slice(0, 5)).toEqual([
        'liberty keystone-manage db_sync 75',
        'liberty glance-manage db_sync',
        'liberty cinder-manage db sync',
        'liberty nova-manage db null_instance_uuid_scan --delete',
        'liberty nova-manage db sync',
      ]);
      expect(calls).toContain(
        'liberty neutron-db-manage --config-file /etc/neutron/neutron.conf --config-file /etc/neutron/plugins/ml2/ml2_conf.ini upgrade heads',
      );
      expect(calls).toContain('mitaka nova-manage db online_data_migrations');
      expect(groups).toContain('liberty:neutron_server:neutron');
      expect(groups).toContain('newton:keystone_all:');
    },
  );

  it(
    'applies the SQL fixes of each release (glance v3 URLs, neutron MTU, collation, cinder services, horizon)',
    { timeout: 240_000 },
    async () => {
      const { server, options } = await setup();
      await withDb({ socketPath: server.socketPath, user: 'root' }, (db) =>
        db.query("INSERT INTO glance.images VALUES ('img-1','i','active',NOW(),NULL,NULL,0)"),
      );
      await withDb({ socketPath: server.socketPath, user: 'root' }, (db) =>
        db.query(
          "INSERT INTO glance.image_locations (image_id, value, created_at, deleted, status) VALUES ('img-1','swift+http://g:p@172.29.236.100:5000/v2.0/glance/img-1',NOW(),0,'active')",
        ),
      );
      const reports = await runMigrations(options);
      const fixes = Object.fromEntries(reports.filter((r) => r.status === 'applied').map((r) => [r.id, r.changed]));
      expect(fixes).toMatchObject({
        'liberty/migrate/glance-image-locations-v3': 1,
        'liberty/migrate/drop-horizon-database': 1,
        'mitaka/migrate/drop-horizon-database': 0,
        'mitaka/migrate/neutron-network-mtu': 2,
        'newton/migrate/cinder-services-purge': 2,
      });
      expect(fixes['newton/migrate/collation-utf8-general']).toBeGreaterThanOrEqual(2);
      await withDb({ socketPath: server.socketPath, user: 'root' }, async (db) => {
        expect(await db.query('SELECT value FROM glance.image_locations')).toEqual([
          { value: 'swift+http://g:p@172.29.236.100:5000/v3/glance/img-1' },
        ]);
        expect(await db.query('SELECT COUNT(*) AS n FROM glance.image_locations_keystone_v3_mig_pre_liberty')).toEqual([
          { n: '1' },
        ]);
        expect(await db.query('SELECT id, mtu FROM neutron.networks ORDER BY id')).toEqual([
          { id: 'net-set', mtu: 1400 },
          { id: 'net-vlan', mtu: 9000 },
          { id: 'net-vxlan', mtu: 1450 },
        ]);
        expect(
          await db.query(
            "SELECT TABLE_COLLATION FROM information_schema.TABLES WHERE TABLE_SCHEMA='keystone' AND TABLE_NAME='token'",
          ),
        ).toEqual([{ TABLE_COLLATION: 'utf8mb3_general_ci' }]);
        expect(await db.query("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME='dash'")).toEqual(
          [],
        );
      });
    },
  );

  it('fails with the service, the expected and the actual version when a tool forgets to bump the schema', async () => {
    const { options } = await setup({ STANDIN_FORGET: 'nova-manage' });
    const error = await runMigrations({ ...options, releases: ['liberty'] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DbMigrateError);
    expect(error).toMatchObject({
      code: 'LEAP_MIGRATE_VERSION_NOT_REACHED',
      message: expect.stringContaining('liberty nova') as unknown,
      step: 'liberty/migrate/nova',
    });
    expect((error as DbMigrateError).message).toContain('nova: expected 302, found 280');
    expect((error as DbMigrateError).hint).toMatch(/re-running the leap retries this service/);
  });

  it(
    'skips services already at the release, so an interrupted run resumes where it stopped',
    { timeout: 240_000 },
    async () => {
      const { options, log } = await setup({ STANDIN_FORGET: 'nova-manage' });
      const events: string[] = [];
      await expect(
        runMigrations({
          ...options,
          releases: ['liberty'],
          onStart: (s) => events.push(`${s.id} started at ${String(s.before.release)}`),
          onReport: (r) => events.push(`${r.id} ${r.status} from ${String(r.before?.release)}`),
        }),
      ).rejects.toThrow(/nova/);
      // Each service's start is reported, with its version, before its commands run: nova started and never finished.
      expect(events.filter((e) => /keystone|nova/.test(e))).toEqual([
        'liberty/migrate/keystone started at kilo',
        'liberty/migrate/keystone migrated from kilo',
        'liberty/migrate/nova started at kilo',
      ]);
      const resumed = await runMigrations({
        ...options,
        releases: ['liberty'],
        runnerFor: (g, c) => {
          void g;
          void c;
          return localExecWith({ STANDIN_SOCKET: options.db.socketPath as string, STANDIN_LOG: log });
        },
      });
      expect(resumed.map((r) => `${r.id}:${r.status}`).slice(0, 5)).toEqual([
        'liberty/migrate/keystone:skipped',
        'liberty/migrate/glance:skipped',
        'liberty/migrate/cinder:skipped',
        'liberty/migrate/nova:migrated',
        'liberty/migrate/neutron:migrated',
      ]);
    },
  );

  it('refuses to run a release whose previous release has not been migrated', async () => {
    const { options } = await setup();
    await expect(runMigrations({ ...options, releases: ['mitaka'] })).rejects.toMatchObject({
      code: 'LEAP_MIGRATE_RELEASE_SKIPPED',
      message: expect.stringContaining('mitaka keystone: the database is at kilo') as unknown,
    });
    await expect(runMigrations({ ...options, releases: ['liberty', 'newton'] })).rejects.toMatchObject({
      code: 'LEAP_MIGRATE_RELEASE_ORDER',
    });
  });

  it('fails with the command, its exit code and its error output when a tool fails', async () => {
    const { options } = await setup({ STANDIN_FAIL: 'cinder-manage' });
    await expect(runMigrations({ ...options, releases: ['liberty'] })).rejects.toMatchObject({
      code: 'LEAP_MIGRATE_COMMAND_FAILED',
      message: expect.stringMatching(
        /liberty cinder: `cinder-manage db sync` exited with 1: ERROR: cinder-manage failed on purpose/,
      ) as unknown,
    });
  });

  it("sends a service's commands to its runner as one batch that ends at the first failure, naming that command", async () => {
    const { server, log, options } = await setup();
    const batches: string[][] = [];
    const runnerFor: MigrateOptions['runnerFor'] = () => {
      const exec: BatchingExec = localExecWith({
        STANDIN_SOCKET: server.socketPath,
        STANDIN_LOG: log,
        STANDIN_FAIL: 'nova-manage',
      });
      const batch = batchOf(exec);
      exec.batch = (commands, batchOptions) => {
        batches.push(commands.map((c) => c.argv.map((a) => basename(a)).join(' ')));
        return batch(commands, batchOptions);
      };
      return exec;
    };
    await expect(runMigrations({ ...options, releases: ['liberty'], runnerFor })).rejects.toMatchObject({
      code: 'LEAP_MIGRATE_COMMAND_FAILED',
      message: expect.stringMatching(
        /^liberty nova: `nova-manage db null_instance_uuid_scan --delete` exited with 1: ERROR: nova-manage failed on purpose/,
      ) as unknown,
    });
    expect(batches.at(-1)).toEqual(['nova-manage db null_instance_uuid_scan --delete', 'nova-manage db sync']);
    const calls = readFileSync(log, 'utf8').trim().split('\n');
    expect(calls.at(-1)).toBe('liberty nova-manage db null_instance_uuid_scan --delete');
  });

  it('fails the glance v3 rewrite and the MTU repair when a setting they need is missing, never passing them as a note', async () => {
    const { conn } = await lab.fresh({ housekeeping: false });
    await withDb(conn, async (db) => {
      await expect(applySqlFix(db, 'glance-image-locations-v3', { keystoneServicePort: 5000 })).rejects.toMatchObject({
        code: 'LEAP_SQLFIX_SETTING_MISSING',
        message: expect.stringContaining('internal_lb_vip_address') as unknown,
        hint: expect.stringContaining('openstack_user_config.yml') as unknown,
      });
      await expect(applySqlFix(db, 'neutron-network-mtu', {})).rejects.toMatchObject({
        code: 'LEAP_SQLFIX_SETTING_MISSING',
        message: expect.stringContaining('container_mtu') as unknown,
      });
      expect(
        await db.query(
          "SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_NAME = 'image_locations_keystone_v3_mig_pre_liberty'",
        ),
      ).toEqual([{ n: '0' }]);
    });
  });
});
