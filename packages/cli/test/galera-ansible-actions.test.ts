import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '@leap/test-fixtures';
import { loadConfig } from '../src/config.js';
import { ansibleExec } from '../src/exec/ansible-exec.js';
import { ansibleGaleraActions } from '../src/galera/ansible-actions.js';
import type { GaleraNodeSpec } from '../src/galera/nodes.js';

const grastate =
  '# GALERA saved state\nversion: 2.1\nuuid:    9f2c6b1e-1111-2222-3333-444455556666\nseqno:   -1\nsafe_to_bootstrap: 0\n';

/**
 * The production actions of `leap galera recover` through the real `ansible` against a "galera container" that is
 * this machine (ansible_connection=local): grastate.dat read and rewritten there, the service commands run there.
 */
describe('galera recovery actions through Ansible', () => {
  it('reads and rewrites grastate.dat, runs --wsrep-recover and the service commands in the container', async () => {
    const dir = tempDir();
    const datadir = join(dir, 'mysql');
    mkdirSync(datadir);
    writeFileSync(join(datadir, 'grastate.dat'), grastate);
    // A stand-in for mysqld --wsrep-recover: it writes the position into the --log-error file it is given.
    const fakeRecover = join(dir, 'fake-recover.py');
    writeFileSync(
      fakeRecover,
      [
        'import sys',
        "log = [a.split('=', 1)[1] for a in sys.argv if a.startswith('--log-error=')][0]",
        "open(log, 'a').write('[Note] WSREP: Recovered position: 9f2c6b1e-1111-2222-3333-444455556666:42\\n')",
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(dir, 'inventory.ini'),
      '[galera_container]\ninfra1_galera_container-1a2b ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n',
    );
    writeFileSync(
      join(dir, 'leap.yaml'),
      JSON.stringify({
        deployDir: dir,
        ansible: { inventory: join(dir, 'inventory.ini'), playbookDir: dir },
        galera: {
          datadir,
          recoverCommand: ['python3', fakeRecover],
          bootstrapCommand: ['touch', join(dir, 'bootstrapped')],
          startCommand: ['touch', join(dir, 'started')],
        },
      }),
    );
    const config = await loadConfig({ config: join(dir, 'leap.yaml') });
    const node = 'infra1_galera_container-1a2b';
    const nodes: GaleraNodeSpec[] = [{ name: node, conn: { host: '127.0.0.1', port: 1, user: 'root', password: 'x' } }];
    const actions = ansibleGaleraActions(nodes, config, (n) => ansibleExec(config, n, { firstHost: false }));

    expect(await actions.readGrastate(node)).toBe(grastate);
    expect(await actions.wsrepRecover(node)).toContain('Recovered position: 9f2c6b1e-1111-2222-3333-444455556666:42');
    await actions.setSafeToBootstrap(node, true);
    expect(readFileSync(join(datadir, 'grastate.dat'), 'utf8')).toBe(
      grastate.replace('safe_to_bootstrap: 0', 'safe_to_bootstrap: 1'),
    );
    await actions.startNode(node, { bootstrap: true, startPosition: undefined });
    expect(existsSync(join(dir, 'bootstrapped'))).toBe(true);
    expect(existsSync(join(dir, 'started'))).toBe(false);
    await actions.startNode(node, { bootstrap: false, startPosition: undefined });
    expect(existsSync(join(dir, 'started'))).toBe(true);

    // A node that must rejoin by SST: its Galera state is moved beside the datadir, never deleted or overwritten.
    writeFileSync(join(datadir, 'galera.cache'), 'gcache of the discarded history');
    const folder = await actions.moveGaleraStateAside(node, 'leap-galera-state-test');
    expect(folder).toBe(`${datadir}.leap-galera-state-test`);
    expect(readFileSync(join(folder, 'galera.cache'), 'utf8')).toBe('gcache of the discarded history');
    expect(readFileSync(join(folder, 'grastate.dat'), 'utf8')).toContain('safe_to_bootstrap: 1');
    expect(existsSync(join(datadir, 'galera.cache')) || existsSync(join(datadir, 'grastate.dat'))).toBe(false);
    await expect(actions.moveGaleraStateAside(node, 'leap-galera-state-test')).rejects.toMatchObject({
      code: 'LEAP_GALERA_ACTION_FAILED',
      host: node,
    });
    expect(readFileSync(join(folder, 'galera.cache'), 'utf8')).toBe('gcache of the discarded history');
    writeFileSync(join(datadir, 'grastate.dat'), grastate);

    rmSync(join(datadir, 'grastate.dat'));
    expect(await actions.readGrastate(node)).toBeUndefined();
    await expect(actions.setSafeToBootstrap(node, true)).rejects.toMatchObject({
      code: 'LEAP_GALERA_ACTION_FAILED',
      host: node,
      message: expect.stringContaining('setting safe_to_bootstrap failed on infra1_galera_container-1a2b'),
    });
  }, 120_000);
});
