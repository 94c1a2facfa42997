import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { requireCommand, tempDir } from '@leap/test-fixtures';
import { beforeAll, describe, expect, it } from 'vitest';
import { preparePipUnify, redeployPlaybooks, runPlaybook, type AnsibleSettings } from '../src/index.js';
import { NEWTON_PIP_WHEELS, writeInventory } from './helpers.js';

// The lab's stand-ins for a host's system Python (with pypa's get-pip.py) and apt-get: the same the lab leap runs.
const labAssets = fileURLToPath(new URL('../../lab/assets/', import.meta.url));
const HOSTS = ['infra1', 'compute1'];
const DIST = 'usr/local/lib/python2.7/dist-packages';
const PINS = 'ldappool==2.1.0\ngnocchiclient>=2.2.0,<3.0.0\npip==9.0.1\nsetuptools==33.1.1\nwheel==0.29.0\n';

beforeAll(() => {
  requireCommand('ansible-playbook');
  requireCommand('python3');
});

function dist(root: string, entries: Array<[string, string]>): void {
  for (const [name, version] of entries) {
    mkdirSync(join(root, DIST, `${name}-${version}.dist-info`), { recursive: true });
    writeFileSync(join(root, DIST, `${name}-${version}.dist-info/METADATA`), `Name: ${name}\nVersion: ${version}\n`);
  }
}

/** Two physical hosts with Kilo-era pip tools, the deploy host's inputs, and the settings that run leap's playbooks. */
async function deployment() {
  const dir = tempDir();
  const root = (host: string) => join(dir, 'hosts', host);
  const hostVars = Object.fromEntries(HOSTS.map((host) => [host, { leap_root: root(host) }]));
  for (const host of HOSTS) {
    dist(root(host), [
      ['pip', '8.1.2'],
      ['setuptools', '20.1.1'],
      ['wheel', '0.26.0'],
      ['six', '1.10.0'],
    ]);
  }
  // A leftover of a newer setuptools that upstream's glob also removed.
  writeFileSync(join(root('infra1'), DIST, 'distutils-precedence.pth'), 'import _distutils_hack\n');
  const inventory = writeInventory(dir, { hosts: HOSTS, nova_compute: ['compute1'] }, { hostVars });
  mkdirSync(join(dir, 'osa'));
  writeFileSync(join(dir, 'osa/global-requirement-pins.txt'), PINS);
  const getPip = join(dir, 'get-pip.py');
  copyFileSync(join(labAssets, 'pip/get-pip.py'), getPip);
  mkdirSync(join(dir, 'wheels'));
  for (const wheel of NEWTON_PIP_WHEELS) writeFileSync(join(dir, 'wheels', wheel), '');
  const prepared = await preparePipUnify({
    osaDir: join(dir, 'osa'),
    getPip: { file: getPip, sha256: createHash('sha256').update(readFileSync(getPip)).digest('hex') },
    wheels: join(dir, 'wheels'),
    outDir: join(dir, 'backup/pip-unify'),
  });
  const settings: AnsibleSettings = {
    command: ['ansible-playbook'],
    playbooksDir: dir,
    inventory: [inventory],
    logDir: join(dir, 'logs'),
    extraVars: {
      leap_python_command: [join(labAssets, 'bin/lab-python'), '{{ leap_root }}'],
      leap_apt_get_command: [join(labAssets, 'bin/lab-apt-get'), '{{ leap_root }}'],
    },
  };
  const item = redeployPlaybooks({ backupMarker: join(dir, 'b'), backupDir: dir, pipUnifyDir: prepared.dir }).find(
    (candidate) => candidate.id === 'newton/redeploy/pip-unify',
  )!;
  return { dir, root, settings, prepared, run: () => runPlaybook(settings, item) };
}

const freeze = async (root: string) =>
  (await execa(join(labAssets, 'bin/lab-python'), [root, '-m', 'pip', 'freeze', '--all'])).stdout.split('\n');

describe('pip-unify.yml', () => {
  it("pins every physical host's pip tools from the deploy host's files, keeping the old ones aside once", async () => {
    const { root, run } = await deployment();
    await run();
    for (const host of HOSTS) {
      expect(await freeze(root(host)), host).toEqual([
        'cryptography==1.7.2',
        'packaging==16.8',
        'pip==9.0.1',
        'setuptools==33.1.1',
        'six==1.10.0',
        'virtualenv==15.1.0',
        'wheel==0.29.0',
      ]);
      // Installed from the pushed wheels (--no-index), after apt installed cryptography's build dependencies.
      expect(readFileSync(join(root(host), 'var/log/leap-lab/pip.log'), 'utf8')).toContain(
        'install pip==9.0.1 from pip-9.0.1-py2.py3-none-any.whl',
      );
      expect(readFileSync(join(root(host), 'var/log/leap-lab/apt.log'), 'utf8')).toContain(
        'install -y --no-install-recommends libssl-dev libffi-dev python-dev',
      );
    }
    const kept = join(root('infra1'), 'opt/leap/pip-unify-kept');
    const originals = ['.complete', 'distutils-precedence.pth', 'pip-8.1.2.dist-info', 'setuptools-20.1.1.dist-info'];
    expect(readdirSync(kept).sort()).toEqual([...originals, 'wheel-0.26.0.dist-info'].sort());
    expect(existsSync(join(root('infra1'), DIST, 'six-1.10.0.dist-info')), 'not a pip tool').toBe(true);

    // A resumed run installs again, and does not move its own install over the originals.
    await run();
    expect(readdirSync(kept).sort()).toEqual([...originals, 'wheel-0.26.0.dist-info'].sort());
    expect(await freeze(root('compute1'))).toContain('pip==9.0.1');
  }, 180_000);

  it('fails a host naming the get-pip.py whose sha256 is not the one checked on the deploy host', async () => {
    const { prepared, run, root } = await deployment();
    writeFileSync(join(prepared.dir, 'get-pip.py'), 'print("not get-pip")\n');
    await expect(run()).rejects.toMatchObject({
      code: 'LEAP_PLAYBOOK_FAILED',
      message: expect.stringContaining(`not the ${prepared.manifest.getPipSha256} leap checked`),
    });
    expect(existsSync(join(root('infra1'), 'opt/leap/pip-unify-kept')), 'nothing moved').toBe(false);
  }, 180_000);

  it('fails a host where pip cannot install a pin, naming it, and leaves the old tools kept', async () => {
    const { prepared, run, root } = await deployment();
    rmSync(join(prepared.dir, 'wheels', 'virtualenv-15.1.0-py2.py3-none-any.whl'));
    await expect(run()).rejects.toMatchObject({
      code: 'LEAP_PLAYBOOK_FAILED',
      message: expect.stringContaining('virtualenv==15.1.0'),
    });
    expect(readdirSync(join(root('infra1'), 'opt/leap/pip-unify-kept'))).toContain('pip-8.1.2.dist-info');
  }, 180_000);
});
