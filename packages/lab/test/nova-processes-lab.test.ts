import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '@leap/test-fixtures';
import { checkServiceVenv, readProcessLists, serviceProcessesItem } from '@leap/osa-deploy';
import { createLab, destroyLab, injectLabFault, type LabInfo } from '../src/index.js';
import { labAsset } from '../src/assets.js';
import { novaCommand } from '../src/nova-processes.js';
import { git, openstackAnsible } from './helpers.js';

const KILO = (pid: number, program: string) =>
  `${pid} /usr/bin/python /usr/local/bin/${program} --config-file /etc/nova/nova.conf`;
// RPC-O r14.1.0's user_osa_variables_defaults.yml sets openstack_release to rpc_release, r14.1.0.
const NEWTON_BIN = '/openstack/venvs/nova-r14.1.0/bin';
const NEWTON = (pid: number, program: string) =>
  `${pid} ${NEWTON_BIN}/python ${NEWTON_BIN}/${program} --config-file /etc/nova/nova.conf`;

let lab: LabInfo;
let root: string;
let playbooks: string;

beforeAll(async () => {
  root = makeTempDir('leap-lab-nova-processes-');
  lab = await createLab(join(root, 'lab'), { singleDb: true, seed: 'nova-processes-test' });
  const osa = join(root, 'osa-newton');
  await git(root, ['clone', '-q', '--branch', '14.2.3', `file://${join(lab.dir, 'git/openstack-ansible.git')}`, osa]);
  playbooks = join(osa, 'playbooks');
  // What a leap has put in place before the re-deploy runs os-nova-install.yml: RPC-O's release beside the OSA
  // checkout (../../group_vars from its playbooks, as in rpc-openstack) and RPC-O's defaults in the deploy folder.
  mkdirSync(join(root, 'group_vars/all'), { recursive: true });
  copyFileSync(labAsset('rpc/group_vars/all/release.yml'), join(root, 'group_vars/all/release.yml'));
  copyFileSync(
    labAsset('rpc/rpcd/etc/openstack_deploy/user_osa_variables_defaults.yml'),
    join(lab.paths.deployDir, 'user_osa_variables_defaults.yml'),
  );
}, 240_000);

afterAll(async () => {
  if (lab !== undefined && existsSync(lab.dir)) await destroyLab(lab.dir);
  await execa('rm', ['-rf', root]);
});

const container = (type: string) => Object.keys(lab.containers).find((c) => c.includes(`_${type}_container-`))!;
const rootfs = (name: string) => join(lab.paths.hostsRoot, lab.containers[name]!, 'var/lib/lxc', name, 'rootfs');
const processes = (hostRoot: string) => readFileSync(join(hostRoot, 'var/run/leap-lab/processes'), 'utf8');
const compute = () => join(lab.paths.hostsRoot, 'compute1');

/** leap verify's listing: leap's service-processes.yml on nova_all with leap.yaml's extra vars, then its check. */
async function novaVenvFinding() {
  const config = parse(readFileSync(lab.paths.leapYaml, 'utf8')) as { ansible: { extraVars: object } };
  const file = join(root, 'nova-processes.json');
  const item = serviceProcessesItem('nova_all', 'nova-', file);
  const run = await openstackAnsible(lab, playbooks, [
    '-e',
    JSON.stringify({ ...config.ansible.extraVars, ...item.extraVars }),
    item.playbook,
  ]);
  expect(run.exitCode, run.stdout).toBe(0);
  return checkServiceVenv('nova', await readProcessLists(file), NEWTON_BIN);
}

describe("a lab's nova processes", () => {
  it('are Kilo’s system-wide nova programs of each nova host’s groups, in its folder or container rootfs', () => {
    expect(processes(compute())).toBe(`1 /sbin/init\n${KILO(1101, 'nova-compute')}\n`);
    expect(processes(rootfs(container('nova_conductor')))).toBe(`1 /sbin/init\n${KILO(1101, 'nova-conductor')}\n`);
    expect(processes(rootfs(container('nova_console')))).toBe(
      `1 /sbin/init\n${KILO(1101, 'nova-consoleauth')}\n${KILO(1102, 'nova-spicehtml5proxy')}\n`,
    );
    expect(existsSync(join(lab.paths.hostsRoot, 'infra1/var/run/leap-lab/processes'))).toBe(false);
    expect(existsSync(join(rootfs(container('keystone')), 'var/run/leap-lab/processes'))).toBe(false);
    // A Liberty or Mitaka lab's run from the source's venv.
    expect(novaCommand('liberty', 'nova-compute')).toBe(
      '/openstack/venvs/nova-12.2.8/bin/python /openstack/venvs/nova-12.2.8/bin/nova-compute --config-file /etc/nova/nova.conf',
    );
  });

  it("come from the venv RPC-O's openstack_release names once os-nova-install.yml has run", async () => {
    const allYml = 'playbooks/inventory/group_vars/all.yml';
    const osaOrigin = join(lab.dir, 'git/openstack-ansible.git');
    expect(await git(osaOrigin, ['show', `${lab.git.osa.target}:${allYml}`])).toMatch(/^openstack_release: 14\.2\.3$/m);
    expect(await git(osaOrigin, ['show', `${lab.git.osa.source}:${allYml}`])).toMatch(
      /^openstack_release: 11\.2\.17$/m,
    );

    const kilo = await novaVenvFinding();
    expect(kilo.ok).toBe(false);
    expect(kilo.problems).toHaveLength(8);
    expect(kilo.problems).toContain(
      `nova-compute (pid 1101) on compute1 runs /usr/bin/python /usr/local/bin/nova-compute, not from ${NEWTON_BIN}/`,
    );

    // As the leap runs it: for every nova host, then for the computes alone.
    for (const args of [['os-nova-install.yml'], ['os-nova-install.yml', '--limit', 'nova_compute']]) {
      const install = await openstackAnsible(lab, playbooks, args);
      expect(install.exitCode, install.stdout).toBe(0);
      expect(processes(compute())).toBe(`1 /sbin/init\n${NEWTON(2101, 'nova-compute')}\n`);
      expect(processes(rootfs(container('nova_console')))).toBe(
        `1 /sbin/init\n${NEWTON(2101, 'nova-consoleauth')}\n${NEWTON(2102, 'nova-spicehtml5proxy')}\n`,
      );
    }
    expect(processes(rootfs(container('nova_api_os_compute')))).toBe(
      `1 /sbin/init\n${NEWTON(2101, 'nova-api-os-compute')}\n`,
    );
    expect(await novaVenvFinding()).toMatchObject({ ok: true, problems: [] });
  }, 300_000);

  it('take the kilo-nova-process fault: a Kilo nova-compute on the first compute host', async () => {
    expect(await injectLabFault(lab.dir, 'kilo-nova-process')).toEqual({
      fault: 'kilo-nova-process',
      host: 'compute1',
      binary: 'nova-compute',
      file: join(compute(), 'var/run/leap-lab/processes'),
    });
    expect(processes(compute())).toBe(`1 /sbin/init\n${NEWTON(2101, 'nova-compute')}\n${KILO(2102, 'nova-compute')}\n`);
    const finding = await novaVenvFinding();
    expect(finding.problems).toEqual([
      `nova-compute (pid 2102) on compute1 runs /usr/bin/python /usr/local/bin/nova-compute, not from ${NEWTON_BIN}/`,
    ]);
  }, 120_000);

  it('refuse the kilo-nova-process fault in a lab without a compute host', async () => {
    const file = join(lab.paths.deployDir, 'openstack_inventory.json');
    const original = readFileSync(file, 'utf8');
    const inventory = JSON.parse(original) as Record<string, { hosts?: string[] }>;
    inventory.nova_compute!.hosts = [];
    writeFileSync(file, JSON.stringify(inventory));
    try {
      await expect(injectLabFault(lab.dir, 'kilo-nova-process')).rejects.toMatchObject({
        code: 'LEAP_LAB_FAULT',
        message: expect.stringContaining('the lab has no compute host'),
        hint: expect.stringContaining('compute host'),
      });
    } finally {
      writeFileSync(file, original);
    }
  });
});
