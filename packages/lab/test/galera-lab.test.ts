import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '@leap/test-fixtures';
import { createLab, destroyLab, type LabInfo } from '../src/index.js';
import { nodePid } from '../src/galera-cluster.js';
import type { LabGaleraNode } from '../src/types.js';

let lab: LabInfo;
let root: string;
let nodes: LabGaleraNode[];

beforeAll(async () => {
  root = makeTempDir('leap-lab-galera-');
  lab = await createLab(join(root, 'lab'), { seed: 'galera-test' });
  nodes = lab.galera?.nodes ?? [];
}, 300_000);

afterAll(async () => {
  if (lab !== undefined && existsSync(lab.dir)) await destroyLab(lab.dir);
  rmSync(root, { recursive: true, force: true });
});

async function sql(node: LabGaleraNode, query: string): Promise<string> {
  const args = ['--no-defaults', '-S', node.socket, '-u', 'root', '-N', '-B', '-e', query];
  return (await execa('mariadb', args)).stdout.trim();
}

const status = (node: LabGaleraNode, name: string) =>
  sql(node, `SHOW GLOBAL STATUS LIKE '${name}'`).then((line) => line.split('\t')[1]);

/** `service mysql <action>` in the node's galera container, as leap's galera-stop.yml runs it in the lab. */
const service = (node: LabGaleraNode, action: string) =>
  execa(join(lab.dir, 'bin/lab-service'), [node.rootfs, 'mysql', action], { reject: false, all: true });

describe("a lab's Galera cluster", () => {
  it('runs one node per galera container (three on the one infra host), all Synced in one cluster, with the seeded rows', async () => {
    expect(nodes.map((n) => n.name)).toEqual(
      Object.keys(lab.containers)
        .filter((c) => c.includes('_galera_container-'))
        .sort(),
    );
    expect(nodes).toHaveLength(3);
    const uuids = new Set<string | undefined>();
    for (const node of nodes) {
      expect(await status(node, 'wsrep_local_state_comment')).toBe('Synced');
      expect(await status(node, 'wsrep_cluster_size')).toBe('3');
      uuids.add(await status(node, 'wsrep_cluster_state_uuid'));
      // Seeded on the first node with steps of 1 (the seed's soft-deletes count on deleted = id).
      expect(await sql(node, 'SELECT COUNT(*), MAX(id) FROM nova.instances')).toBe('48\t48');
      // The container's /var/lib/mysql is the node's data, as production bind-mounts /openstack/<container>.
      expect(existsSync(join(node.rootfs, 'var/lib/mysql/ibdata1'))).toBe(true);
    }
    expect(uuids.size).toBe(1);
    expect(lab.database.socket).toBe(nodes[0]!.socket);
  });

  it("gives leap.yaml no runner: local: leap reaches each node through its galera container's Ansible variables", () => {
    const config = parse(readFileSync(lab.paths.leapYaml, 'utf8')) as {
      runner?: string;
      galera?: unknown;
      database: { socket: string };
      ansible: { extraVars: Record<string, unknown> };
    };
    expect(config.runner).toBeUndefined();
    expect(config.galera).toBeUndefined();
    expect(config.ansible.extraVars).toMatchObject({
      leap_lab_galera_ports: Object.fromEntries(nodes.map((n) => [n.name, n.port])),
      leap_galera_address: '127.0.0.1',
      leap_galera_port: '{{ leap_lab_galera_ports[inventory_hostname] }}',
      leap_galera_recover_command: [join(lab.dir, 'bin/lab-galera'), 'wsrep-recover', '{{ leap_root }}'],
      leap_service_command: [join(lab.dir, 'bin/lab-service'), '{{ leap_root }}'],
    });
    expect(config.database.socket).toBe(nodes[0]!.socket);
  });

  it("recovers a stopped node's position with `mysqld --wsrep-recover` in its container (lab-galera wsrep-recover)", async () => {
    expect((await service(nodes[1]!, 'stop')).exitCode).toBe(0);
    const log = join(root, 'recover.log');
    const recovered = await execa(
      join(lab.dir, 'bin/lab-galera'),
      ['wsrep-recover', nodes[1]!.rootfs, `--log-error=${log}`],
      { reject: false, all: true },
    );
    expect(recovered.exitCode, recovered.all).toBe(0);
    expect(readFileSync(log, 'utf8')).toMatch(/WSREP: Recovered position: [0-9a-f-]+:\d+/);
    expect((await service(nodes[1]!, 'start')).exitCode).toBe(0);
    expect(await status(nodes[1]!, 'wsrep_local_state_comment')).toBe('Synced');
  });

  it('stops and starts a node through `service mysql` in its container; the node rejoins', async () => {
    const stopped = await service(nodes[1]!, 'stop');
    expect(stopped.exitCode, stopped.all).toBe(0);
    expect(nodePid(nodes[1]!)).toBeUndefined();
    expect(await status(nodes[0]!, 'wsrep_cluster_size')).toBe('2');
    const started = await service(nodes[1]!, 'start');
    expect(started.exitCode, started.all).toBe(0);
    expect(await status(nodes[1]!, 'wsrep_local_state_comment')).toBe('Synced');
    expect(await status(nodes[0]!, 'wsrep_cluster_size')).toBe('3');
    expect(readFileSync(join(nodes[1]!.rootfs, 'var/log/leap-lab/services.log'), 'utf8')).toContain('mysql start');
  });

  it("galera-install's start bootstraps from the most advanced node after galera-stop removed every grastate.dat", async () => {
    // Nodes 1 and 2 go first; node 3 commits one more row before it stops too.
    for (const node of nodes.slice(0, 2)) expect((await service(node, 'stop')).exitCode).toBe(0);
    await sql(
      nodes[2]!,
      'CREATE DATABASE lab_test; CREATE TABLE lab_test.t (id INT PRIMARY KEY); INSERT INTO lab_test.t VALUES (1)',
    );
    expect((await service(nodes[2]!, 'stop')).exitCode).toBe(0);
    for (const node of nodes) rmSync(join(node.rootfs, 'var/lib/mysql/grastate.dat'));
    const started = await execa(join(lab.dir, 'bin/lab-galera'), ['cluster-start'], { reject: false, all: true });
    expect(started.exitCode, started.all).toBe(0);
    expect(started.all).toContain(`${nodes[2]!.name}: starting a new cluster from`);
    for (const node of nodes) {
      expect(await status(node, 'wsrep_local_state_comment')).toBe('Synced');
      expect(await sql(node, 'SELECT COUNT(*) FROM lab_test.t')).toBe('1');
    }
    expect(await status(nodes[0]!, 'wsrep_cluster_size')).toBe('3');
  });

  it('lab destroy stops every node', async () => {
    const pids = nodes.map((n) => nodePid(n));
    expect(pids.every((p) => p !== undefined)).toBe(true);
    await destroyLab(lab.dir);
    // Gone, or a zombie waiting for whoever adopted it (the detached nodes outlive the process that started them).
    const running = (pid: number | undefined) => {
      try {
        return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
      } catch {
        return false;
      }
    };
    expect(pids.filter(running)).toEqual([]);
  });
});
