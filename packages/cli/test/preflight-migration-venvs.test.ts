import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '@leap/test-fixtures';
import { loadConfig } from '../src/config.js';
import { createRuntime } from '../src/commands/shared.js';
import { checkMigrationVenvs } from '../src/preflight/migration-venvs-check.js';

const SHA = 'cd'.repeat(32);

/** A venv folder whose bin/ holds `commands`, each answering --help. */
function venvWith(dir: string, commands: readonly string[]): string {
  mkdirSync(join(dir, 'bin'), { recursive: true });
  for (const command of commands) {
    writeFileSync(join(dir, 'bin', command), '#!/bin/sh\nexit 0\n');
    chmodSync(join(dir, 'bin', command), 0o755);
  }
  return dir;
}

const ALL = [
  'keystone-manage',
  'glance-manage',
  'cinder-manage',
  'nova-manage',
  'neutron-db-manage',
  'heat-manage',
  'ironic-dbsync',
  'aodh-dbsync',
];

async function runtimeWith(yaml: string) {
  const dir = tempDir();
  writeFileSync(join(dir, 'leap.yaml'), `runner: local\ndeployDir: ${join(dir, 'deploy')}\n${yaml}`);
  const config = await loadConfig({ config: join(dir, 'leap.yaml') });
  return createRuntime(config, { stdout: () => undefined, stderr: () => undefined }, { interactive: false });
}

describe("preflight's migration-venvs check", () => {
  it('passes when every command of every release answers --help in its folder', async () => {
    const dir = tempDir();
    const rt = await runtimeWith(
      `migrationVenvs:\n${['liberty', 'mitaka', 'newton'].map((r) => `  ${r}: ${venvWith(join(dir, r), ALL)}\n`).join('')}`,
    );
    const result = await checkMigrationVenvs(rt, ['liberty', 'mitaka', 'newton']);
    expect(result).toMatchObject({ id: 'migration-venvs', status: 'ok' });
    // Without an inventory every group counts, ironic_conductor and aodh_all too.
    expect(result.message).toMatch(
      /^liberty: \d+ commands answer --help; mitaka: \d+ commands answer --help; newton: /,
    );
  });

  it('fails naming the release, the group and the command a folder lacks', async () => {
    const dir = tempDir();
    const liberty = venvWith(
      join(dir, 'liberty'),
      ALL.filter((c) => c !== 'neutron-db-manage'),
    );
    const rt = await runtimeWith(`migrationVenvs:\n  liberty: ${liberty}\n`);
    const result = await checkMigrationVenvs(rt, ['liberty']);
    expect(result).toMatchObject({ status: 'failed', host: 'neutron_server[0]' });
    expect(result.message).toContain(
      `the liberty migration venv ${liberty} lacks neutron-db-manage on neutron_server[0]`,
    );
    expect(result.hint).toContain('migrationVenvs.liberty');
  });

  it('says venvs/prepare pushes a tarball not on the hosts yet, and fails on a tarball file that is missing', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'l.tgz'), 'not checked here');
    const pending = await runtimeWith(
      `migrationVenvs:\n  liberty: { sha256: ${SHA}, file: ${join(dir, 'l.tgz')}, path: ${join(dir, 'opt/l')} }\n`,
    );
    const ok = await checkMigrationVenvs(pending, ['liberty']);
    expect(ok).toMatchObject({ status: 'ok' });
    expect(ok.message).toContain(`liberty: venvs/prepare pushes ${join(dir, 'l.tgz')} to ${join(dir, 'opt/l')}`);

    const missing = await runtimeWith(
      `migrationVenvs:\n  mitaka: { sha256: ${SHA}, file: ${join(dir, 'gone.tgz')} }\n`,
    );
    expect(await checkMigrationVenvs(missing, ['mitaka'])).toMatchObject({
      status: 'failed',
      file: join(dir, 'gone.tgz'),
      message: expect.stringContaining('does not exist'),
    });
  });
});
