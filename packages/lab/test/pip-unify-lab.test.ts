import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '@leap/test-fixtures';
import { createLab, destroyLab, labAsset, type LabInfo } from '../src/index.js';
import { LAB_WHEELS } from '../src/pip-unify.js';
import { git } from './helpers.js';

interface PipUnifyConfig {
  pipUnify: { getPip: { file: string; sha256: string }; wheels: string };
  ansible: { extraVars: Record<string, unknown> };
}

let lab: LabInfo;
let root: string;

beforeAll(async () => {
  root = makeTempDir('leap-lab-pip-unify-');
  lab = await createLab(join(root, 'lab'), { singleDb: true, hosts: 1, seed: 'pip-unify-test' });
}, 240_000);

afterAll(async () => {
  if (lab !== undefined && existsSync(lab.dir)) await destroyLab(lab.dir);
  await execa('rm', ['-rf', root]);
});

const labPython = (args: string[]) => execa(join(lab.dir, 'bin/lab-python'), args, { reject: false });

describe("a lab's pip-unify inputs", () => {
  it('gives leap.yaml the stand-in get-pip.py with its sha256, the wheels and the host command stand-ins', async () => {
    const config = parse(readFileSync(lab.paths.leapYaml, 'utf8')) as PipUnifyConfig;
    expect(config.pipUnify).toEqual({
      getPip: { file: join(lab.dir, 'pip/get-pip.py'), sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
      wheels: join(lab.dir, 'pip/wheels'),
    });
    const digest = await execa('sha256sum', [config.pipUnify.getPip.file]);
    expect(digest.stdout.split(' ')[0]).toBe(config.pipUnify.getPip.sha256);
    expect(readFileSync(config.pipUnify.getPip.file)).toEqual(readFileSync(labAsset('pip/get-pip.py')));
    expect(readdirSync(config.pipUnify.wheels).sort()).toEqual([...LAB_WHEELS].sort());
    for (const wheel of LAB_WHEELS) expect(statSync(join(config.pipUnify.wheels, wheel)).size).toBe(0);

    expect(config.ansible.extraVars).toMatchObject({
      leap_python_command: [join(lab.dir, 'bin/lab-python'), '{{ leap_root }}'],
      leap_apt_get_command: [join(lab.dir, 'bin/lab-apt-get'), '{{ leap_root }}'],
    });
    for (const name of ['lab-python', 'lab-apt-get'])
      expect(statSync(join(lab.dir, 'bin', name)).mode & 0o111, name).toBe(0o111);
  });

  it("has OSA Newton's global-requirement-pins.txt at the target commit only", async () => {
    const osa = join(lab.dir, 'git/openstack-ansible.git');
    const pins = await git(osa, ['show', `${lab.git.osa.target}:global-requirement-pins.txt`]);
    expect(pins).toMatch(/^# /);
    for (const line of ['ldappool==2.1.0', 'gnocchiclient>=2.2.0,<3.0.0', 'pip==9.0.1', 'setuptools==33.1.1'])
      expect(pins.split('\n')).toContain(line);
    expect(pins.split('\n')).toContain('wheel==0.29.0');
    await expect(git(osa, ['show', `${lab.git.osa.source}:global-requirement-pins.txt`])).rejects.toThrow();
  });

  it("seeds the physical hosts' system Python with Kilo-era packages, not the containers'", async () => {
    expect(lab.hosts).toEqual(['aio1']);
    const host = join(lab.paths.hostsRoot, 'aio1');
    const freeze = await labPython([host, '-m', 'pip', 'freeze', '--all']);
    expect(freeze.stdout.split('\n')).toEqual([
      'packaging==16.5',
      'pip==8.1.2',
      'setuptools==20.1.1',
      'six==1.10.0',
      'wheel==0.26.0',
    ]);
    expect(readFileSync(join(host, 'usr/local/lib/python2.7/dist-packages/pip-8.1.2.dist-info/METADATA'), 'utf8')).toBe(
      'Metadata-Version: 2.0\nName: pip\nVersion: 8.1.2\n',
    );
    for (const container of Object.keys(lab.containers))
      expect(existsSync(join(host, 'var/lib/lxc', container, 'rootfs/usr/local/lib'))).toBe(false);
  });

  it("serves an Ansible group 'hosts' holding exactly the physical hosts", async () => {
    const listed = await execa(lab.paths.inventory, ['--list']);
    const inventory = JSON.parse(listed.stdout) as Record<string, { hosts?: string[]; children?: string[] }>;
    const members = (group: string): string[] => [
      ...(inventory[group]?.hosts ?? []),
      ...(inventory[group]?.children ?? []).flatMap(members),
    ];
    expect([...new Set(members('hosts'))].sort()).toEqual(lab.hosts);
  });

  it("brings a host to the target's pins with the lab's get-pip.py, wheels and pins, as leap's pip-unify runs them", async () => {
    const host = join(lab.paths.hostsRoot, 'aio1');
    const dest = join(host, 'opt/leap/pip-unify');
    mkdirSync(dest, { recursive: true });
    const constraints = join(dest, 'constraints.txt');
    const osa = join(lab.dir, 'git/openstack-ansible.git');
    writeFileSync(constraints, `${await git(osa, ['show', `${lab.git.osa.target}:global-requirement-pins.txt`])}\n`);
    const requirements = join(dest, 'requirements.txt');
    writeFileSync(requirements, 'cryptography==1.7.2\npackaging==16.8\npip\nsetuptools\nvirtualenv==15.1.0\nwheel\n');
    const getPip = join(dest, 'get-pip.py');
    copyFileSync(join(lab.dir, 'pip/get-pip.py'), getPip);
    const offline = ['--no-index', '--find-links', join(lab.dir, 'pip/wheels')];
    const tools = await labPython([
      host,
      getPip,
      '--force-reinstall',
      '--upgrade',
      '--isolated',
      '-c',
      constraints,
      ...offline,
    ]);
    expect(tools.exitCode, tools.stderr).toBe(0);
    const rest = await labPython([
      host,
      getPip,
      '--upgrade',
      '--isolated',
      '-r',
      requirements,
      '-c',
      constraints,
      ...offline,
    ]);
    expect(rest.exitCode, rest.stderr).toBe(0);
    const freeze = await labPython([host, '-m', 'pip', 'freeze', '--all']);
    expect(freeze.stdout.split('\n')).toEqual([
      'cryptography==1.7.2',
      'packaging==16.8',
      'pip==9.0.1',
      'setuptools==33.1.1',
      'six==1.10.0',
      'virtualenv==15.1.0',
      'wheel==0.29.0',
    ]);
  });
});
