import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '@leap/test-fixtures';
import { loadConfig } from '../src/config.js';
import { ansibleExec } from '../src/exec/ansible-exec.js';
import { ansibleGaleraActions } from '../src/galera/ansible-actions.js';
import { galeraNodes } from '../src/galera/nodes.js';

/** The deployment's openstack_inventory.json (one galera container) and the inventory Ansible reads, local connection. */
function writeInventories(dir: string, node: string, hostVars: string): void {
  writeFileSync(
    join(dir, 'openstack_inventory.json'),
    JSON.stringify({
      galera_container: { hosts: [node] },
      _meta: { hostvars: { [node]: { container_address: '172.29.236.11' } } },
    }),
  );
  writeFileSync(
    join(dir, 'inventory.ini'),
    `[galera_container]\n${node} ansible_connection=local ansible_python_interpreter=/usr/bin/python3 ${hostVars}\n`,
  );
}

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
    // The container's root is the temp folder (leap_root), its datadir /mysql inside it.
    const node = 'infra1_galera_container-1a2b';
    writeInventories(dir, node, `leap_root=${dir}`);
    writeFileSync(
      join(dir, 'leap.yaml'),
      JSON.stringify({
        deployDir: dir,
        database: { password: 'x' },
        ansible: { inventory: join(dir, 'inventory.ini'), playbookDir: dir },
        galera: {
          datadir: '/mysql',
          recoverCommand: ['python3', fakeRecover],
          bootstrapCommand: ['touch', join(dir, 'bootstrapped')],
          startCommand: ['touch', join(dir, 'started')],
        },
      }),
    );
    const config = await loadConfig({ config: join(dir, 'leap.yaml') });
    const nodes = await galeraNodes(config);
    expect(nodes).toEqual([
      {
        name: node,
        conn: { host: '172.29.236.11', port: 3306, user: 'root', password: 'x' },
        host: { datadir, recover: ['python3', fakeRecover] },
      },
    ]);
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

  it("takes the container's service command, recover command, address and port from its Ansible variables", async () => {
    const dir = tempDir();
    const node = 'infra1_galera_container-1a2b';
    writeInventories(dir, node, `leap_galera_port=13306`);
    // A service stand-in that records its arguments; `status` answers as sysvinit does for a stopped server (3).
    const service = join(dir, 'service.py');
    writeFileSync(
      service,
      [
        'import sys',
        "open(sys.argv[1] + '/calls', 'a').write(' '.join(sys.argv[2:]) + '\\n')",
        "sys.exit(3 if sys.argv[3] == 'status' else 0)",
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(dir, 'leap.yaml'),
      JSON.stringify({
        deployDir: dir,
        database: { password: 'x' },
        ansible: {
          inventory: join(dir, 'inventory.ini'),
          playbookDir: dir,
          extraVars: {
            leap_root: `${dir}/{{ inventory_hostname }}`,
            leap_service_command: ['python3', service, '{{ leap_root }}'],
            leap_galera_address: '127.0.0.1',
            leap_galera_recover_command: ['/opt/lab/recover', '{{ leap_root }}'],
          },
        },
      }),
    );
    const config = await loadConfig({ config: join(dir, 'leap.yaml') });
    const root = join(dir, node);
    mkdirSync(root);
    const nodes = await galeraNodes(config);
    expect(nodes[0]).toMatchObject({
      conn: { host: '127.0.0.1', port: 13306 },
      host: {
        datadir: `${root}/var/lib/mysql`,
        service: ['python3', service, root, 'mysql'],
        recover: ['/opt/lab/recover', root],
      },
    });
    const actions = ansibleGaleraActions(nodes, config, (n) => ansibleExec(config, n, { firstHost: false }));
    expect(await actions.isRunning!(node)).toBe(false);
    await actions.startNode(node, { bootstrap: true, startPosition: undefined });
    await actions.startNode(node, { bootstrap: false, startPosition: undefined });
    expect(readFileSync(join(root, 'calls'), 'utf8')).toBe(
      'mysql status\nmysql start --wsrep-new-cluster\nmysql start\n',
    );
  }, 120_000);

  it('names the container and the variable when a value has the wrong shape', async () => {
    const dir = tempDir();
    const node = 'infra1_galera_container-1a2b';
    writeInventories(dir, node, 'leap_galera_port=not-a-port');
    writeFileSync(
      join(dir, 'leap.yaml'),
      JSON.stringify({
        deployDir: dir,
        database: { password: 'x' },
        ansible: { inventory: join(dir, 'inventory.ini'), playbookDir: dir },
      }),
    );
    await expect(galeraNodes(await loadConfig({ config: join(dir, 'leap.yaml') }))).rejects.toMatchObject({
      code: 'LEAP_GALERA_HOST_VARS_INVALID',
      host: node,
      message: `leap_galera_port in ${node}'s Ansible variables is not a TCP port (1-65535)`,
    });
  }, 60_000);
});
