import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '@leap/test-fixtures';
import { loadConfig } from '../src/config.js';
import { localExec } from '@leap/contract';
import { galeraServiceCommands, type ServiceProbePaths } from '../src/galera/service-commands.js';
import { checkGaleraCommands } from '../src/preflight/galera-commands-check.js';
import { CliError } from '../src/errors.js';

/** A container's root in a temp folder: systemd's runtime folder, galera_new_cluster, the sysvinit script. */
function container(has: { systemd?: boolean; galeraNewCluster?: boolean; initScript?: boolean }): ServiceProbePaths {
  const root = tempDir();
  const paths = {
    systemd: join(root, 'run/systemd/system'),
    galeraNewCluster: join(root, 'usr/bin/galera_new_cluster'),
    initScript: join(root, 'etc/init.d/mysql'),
  };
  if (has.systemd) mkdirSync(paths.systemd, { recursive: true });
  for (const [key, file] of [
    ['galeraNewCluster', paths.galeraNewCluster],
    ['initScript', paths.initScript],
  ] as const) {
    if (!has[key]) continue;
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, '#!/bin/sh\n');
    chmodSync(file, 0o755);
  }
  return paths;
}

describe('the Galera service commands of a container', () => {
  it('uses galera_new_cluster and systemctl where systemd runs MariaDB >= 10.1', async () => {
    const paths = container({ systemd: true, galeraNewCluster: true, initScript: true });
    const commands = await galeraServiceCommands(await loadConfig({}), 'g1', localExec, undefined, paths);
    expect(commands).toEqual({
      bootstrap: [paths.galeraNewCluster],
      start: ['systemctl', 'start', 'mysql'],
      source: 'systemd',
    });
  });

  it("uses the init script on a Trusty container (MariaDB Galera 10.0, no systemd), as OSA Newton's role does", async () => {
    const paths = container({ initScript: true, galeraNewCluster: true });
    const commands = await galeraServiceCommands(await loadConfig({}), 'g1', localExec, undefined, paths);
    expect(commands).toEqual({
      bootstrap: ['service', 'mysql', 'start', '--wsrep-new-cluster'],
      start: ['service', 'mysql', 'start'],
      source: 'sysvinit',
    });
  });

  it('keeps what leap.yaml says, without probing', async () => {
    const dir = tempDir();
    const file = join(dir, 'leap.yaml');
    writeFileSync(file, 'galera:\n  bootstrapCommand: [my-bootstrap]\n  startCommand: [my-start, now]\n');
    const commands = await galeraServiceCommands(await loadConfig({ config: file }), 'g1', async () => {
      throw new Error('probed');
    });
    expect(commands).toEqual({ bootstrap: ['my-bootstrap'], start: ['my-start', 'now'], source: 'leap.yaml' });
  });

  it('refuses to guess on a container with neither, naming the node and the leap.yaml keys', async () => {
    const error = await galeraServiceCommands(
      await loadConfig({}),
      'infra1_galera_container-1',
      localExec,
      undefined,
      container({}),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliError);
    expect(error).toMatchObject({ code: 'LEAP_GALERA_NO_SERVICE', host: 'infra1_galera_container-1' });
    expect((error as CliError).hint).toContain('galera.bootstrapCommand');
  });
});

describe('preflight: the Galera commands', () => {
  it("fails naming each program missing on each node (runner local: the nodes' own start commands)", async () => {
    const dir = tempDir();
    const file = join(dir, 'leap.yaml');
    writeFileSync(
      file,
      [
        'runner: local',
        'galera:',
        '  nodes:',
        `    - { name: n1, socket: ${dir}/n1.sock, datadir: ${dir}/n1, start: [mariadbd, --datadir=${dir}/n1] }`,
        `    - { name: n2, socket: ${dir}/n2.sock, datadir: ${dir}/n2, start: [${dir}/no-such-mariadbd] }`,
        '',
      ].join('\n'),
    );
    const result = await checkGaleraCommands(await loadConfig({ config: file }), async () => localExec);
    expect(result).toMatchObject({ id: 'galera-commands', status: 'failed', file });
    expect(result.message).toBe(`missing: ${dir}/no-such-mariadbd on n2`);
  });

  it('is skipped for runner: local without galera nodes', async () => {
    const dir = tempDir();
    const file = join(dir, 'leap.yaml');
    writeFileSync(file, 'runner: local\n');
    expect(await checkGaleraCommands(await loadConfig({ config: file }), async () => localExec)).toMatchObject({
      status: 'skipped',
    });
  });
});
