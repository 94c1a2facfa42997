import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { localExec } from '@leap/contract';
import { tempDir } from '@leap/test-fixtures';
import { countUnmigratedFlavors, migrateKiloFlavorData, withDb } from '../src/index.js';
import { serverPerFile } from './helpers.js';

const lab = serverPerFile();

/** A Kilo-era nova: two live instances whose flavor is only in system metadata; a deleted one and a migrated one. */
async function setup() {
  const { server, conn } = await lab.fresh({ housekeeping: false });
  await withDb(conn, async (db) => {
    await db.query(
      "INSERT INTO nova.instances (id, uuid, deleted) VALUES (1, 'inst-a', 0), (2, 'inst-b', 0), (3, 'inst-c', 3), (4, 'inst-d', 0)",
    );
    await db.query(`INSERT INTO nova.instance_system_metadata (id, instance_uuid, \`key\`, value, deleted) VALUES
      (1, 'inst-a', 'instance_type_id', '2', 0), (2, 'inst-b', 'instance_type_id', '1', 0), (3, 'inst-c', 'instance_type_id', '1', 0),
      (4, 'inst-d', 'instance_type_id', '1', 4), (5, 'inst-d', 'image_base', 'x', 0)`);
  });
  const dir = tempDir();
  const calls = join(dir, 'calls.log');
  /** bin/nova-manage: records its argv and runs `sql` against the test server. */
  const kiloBin = (sql: string, exitCode = 0) => {
    const file = join(dir, 'bin', 'nova-manage');
    writeFileSync(join(dir, 'script.sql'), sql);
    writeFileSync(
      file,
      `#!/bin/sh\necho "$@" >> '${calls}'\n` +
        (sql
          ? `mariadb --no-defaults -S '${server.socketPath}' -u root < '${join(dir, 'script.sql')}' || exit 9\n`
          : '') +
        `echo 'something failed' >&2\nexit ${exitCode}\n`,
    );
    chmodSync(file, 0o755);
    return join(dir, 'bin');
  };
  mkdirSync(join(dir, 'bin'));
  const groups: string[] = [];
  const runnerFor = (group: string) => {
    groups.push(group);
    return localExec;
  };
  return { conn, calls, kiloBin, runnerFor, groups };
}

describe('Kilo flavor data', () => {
  it("counts what Liberty's migration 291 counts, runs Kilo's nova-manage migrate_flavor_data --force and checks none is left", async () => {
    const { conn, calls, kiloBin, runnerFor, groups } = await setup();
    expect(await withDb(conn, (db) => countUnmigratedFlavors(db))).toBe(2);
    const bin = kiloBin("UPDATE nova.instance_system_metadata SET deleted = id WHERE `key` = 'instance_type_id';");
    expect(await migrateKiloFlavorData({ db: conn, kiloBin: bin, runnerFor })).toEqual({
      before: 2,
      after: 0,
      ran: true,
    });
    expect(readFileSync(calls, 'utf8')).toBe('db migrate_flavor_data --force\n');
    expect(groups).toEqual(['nova_api_os_compute']);
    // Nothing left: the command is not run again (a resumed leap).
    expect(await migrateKiloFlavorData({ db: conn, kiloBin: bin, runnerFor })).toEqual({
      before: 0,
      after: 0,
      ran: false,
    });
    expect(groups).toHaveLength(1);
  });

  it('fails before Liberty, naming the count, when instances are left or the command fails', async () => {
    const { conn, kiloBin, runnerFor } = await setup();
    await expect(migrateKiloFlavorData({ db: conn, kiloBin: kiloBin(''), runnerFor })).rejects.toMatchObject({
      code: 'LEAP_MIGRATE_FLAVOR_DATA_INCOMPLETE',
      message: expect.stringContaining('2 of 2 instances still have unmigrated flavor data') as unknown,
      hint: expect.stringContaining('migration 291') as unknown,
    });
    await expect(migrateKiloFlavorData({ db: conn, kiloBin: kiloBin('', 1), runnerFor })).rejects.toMatchObject({
      code: 'LEAP_MIGRATE_FLAVOR_DATA_FAILED',
      message: expect.stringContaining('exited with 1: something failed') as unknown,
      host: 'nova_api_os_compute',
    });
  });
});
