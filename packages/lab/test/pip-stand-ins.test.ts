import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '@leap/test-fixtures';
import { labAsset } from '../src/index.js';
import { LAB_WHEELS } from '../src/pip-unify.js';

const SITE = 'usr/local/lib/python2.7/dist-packages';
const labPython = labAsset('bin/lab-python');

let base: string;
let root: string;
let dest: string;

beforeAll(() => {
  base = makeTempDir('leap-lab-pip-');
});

afterAll(async () => {
  await execa('rm', ['-rf', base]);
});

/** A host folder with Kilo-era pip and six, and the folder leap's pip-unify pushes to it, as leap prepares it. */
beforeEach((context) => {
  root = join(base, context.task.id, 'hosts/infra1');
  dest = join(root, 'opt/leap/pip-unify');
  mkdirSync(join(dest, 'wheels'), { recursive: true });
  mkdirSync(join(root, SITE, 'pip-8.1.2.dist-info'), { recursive: true });
  writeFileSync(join(root, SITE, 'pip-8.1.2.dist-info/METADATA'), 'Name: pip\nVersion: 8.1.2\n');
  mkdirSync(join(root, SITE, 'six-1.10.0-py2.7.egg-info'));
  writeFileSync(join(root, SITE, 'six-1.10.0-py2.7.egg-info/PKG-INFO'), 'Name: six\nVersion: 1.10.0\n');
  for (const wheel of LAB_WHEELS) writeFileSync(join(dest, 'wheels', wheel), '');
  writeFileSync(join(dest, 'constraints.txt'), readFileSync(labAsset('osa/global-requirement-pins.txt')));
  writeFileSync(
    join(dest, 'requirements.txt'),
    '# upgrade requirements\ncryptography==1.7.2\npackaging==16.8\npip\nsetuptools\n\nvirtualenv==15.1.0\nwheel\n',
  );
  writeFileSync(join(dest, 'get-pip.py'), readFileSync(labAsset('pip/get-pip.py')));
});

const getPip = (args: string[]) => execa(labPython, [root, join(dest, 'get-pip.py'), ...args], { reject: false });
const offline = () => ['--no-index', '--find-links', join(dest, 'wheels')];
const freeze = async () => (await execa(labPython, [root, '-m', 'pip', 'freeze', '--all'])).stdout.split('\n');

describe("the lab's system Python and get-pip.py", () => {
  it('installs the pinned tools and requirements from the wheel folder, replacing older ones, and freezes them', async () => {
    const tools = await getPip([
      '--force-reinstall',
      '--upgrade',
      '--isolated',
      '--constraint',
      join(dest, 'constraints.txt'),
      ...offline(),
    ]);
    expect(tools.exitCode, tools.stderr).toBe(0);
    expect(tools.stdout).toContain('Successfully installed pip-9.0.1 setuptools-33.1.1 wheel-0.29.0');
    expect(readdirSync(join(root, SITE))).not.toContain('pip-8.1.2.dist-info');

    const requirements = await getPip([
      '--upgrade',
      '--isolated',
      '--requirement',
      join(dest, 'requirements.txt'),
      '--constraint',
      join(dest, 'constraints.txt'),
      ...offline(),
    ]);
    expect(requirements.exitCode, requirements.stderr).toBe(0);
    expect(await freeze()).toEqual([
      'cryptography==1.7.2',
      'packaging==16.8',
      'pip==9.0.1',
      'setuptools==33.1.1',
      'six==1.10.0',
      'virtualenv==15.1.0',
      'wheel==0.29.0',
    ]);
    const log = readFileSync(join(root, 'var/log/leap-lab/pip.log'), 'utf8');
    expect(log).toContain('install pip==9.0.1 from pip-9.0.1-py2.py3-none-any.whl (replaced pip-8.1.2.dist-info)');
    expect(log.trim().split('\n')).toHaveLength(9);
  });

  it("fails with pip's wording and installs nothing when the wheel folder lacks a pinned version", async () => {
    rmSync(join(dest, 'wheels', 'wheel-0.29.0-py2.py3-none-any.whl'));
    const result = await getPip(['--constraint', join(dest, 'constraints.txt'), ...offline()]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('Could not find a version that satisfies the requirement wheel==0.29.0');
    expect(await freeze()).toEqual(['pip==8.1.2', 'six==1.10.0']);
    // Without --no-index the index stands in for every version.
    const online = await getPip(['--constraint', join(dest, 'constraints.txt')]);
    expect(online.exitCode, online.stderr).toBe(0);
    expect(await freeze()).toEqual(['pip==9.0.1', 'setuptools==33.1.1', 'six==1.10.0', 'wheel==0.29.0']);
  });

  it('fails on a package with no version and on a requirement that contradicts its constraint', async () => {
    const unpinned = await getPip(['--requirement', join(dest, 'requirements.txt'), ...offline()]);
    expect(unpinned.exitCode).toBe(1);
    expect(unpinned.stderr).toContain('no version for pip');

    writeFileSync(join(dest, 'requirements.txt'), 'Wheel==0.26.0\n');
    const contradiction = await getPip([
      '-r',
      join(dest, 'requirements.txt'),
      '-c',
      join(dest, 'constraints.txt'),
      ...offline(),
    ]);
    expect(contradiction.exitCode).toBe(1);
    expect(contradiction.stderr).toContain('Wheel==0.26.0');
    expect(contradiction.stderr).toContain('wheel==0.29.0');
    expect(await freeze()).toEqual(['pip==8.1.2', 'six==1.10.0']);
  });

  it('refuses to run get-pip.py outside a host folder, and any other Python command', async () => {
    const direct = await execa('python3', [join(dest, 'get-pip.py')], {
      reject: false,
      env: { LEAP_LAB_HOST_ROOT: '' },
    });
    expect(direct.exitCode).toBe(2);
    expect(direct.stderr).toContain('LEAP_LAB_HOST_ROOT');
    const other = await execa(labPython, [root, '-c', 'print(1)'], { reject: false });
    expect(other.exitCode).toBe(2);
    expect(other.stderr).toContain('lab-python');
    expect(existsSync(join(root, 'var/log/leap-lab/pip.log'))).toBe(false);
  });

  it('records apt-get calls on the host folder', async () => {
    const apt = await execa(
      labAsset('bin/lab-apt-get'),
      [root, 'install', '-y', '--no-install-recommends', 'libssl-dev', 'libffi-dev', 'python-dev'],
      { env: { DEBIAN_FRONTEND: 'noninteractive' } },
    );
    expect(apt.exitCode).toBe(0);
    expect(readFileSync(join(root, 'var/log/leap-lab/apt.log'), 'utf8')).toBe(
      'install -y --no-install-recommends libssl-dev libffi-dev python-dev\n',
    );
  });
});
