import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '@leap/test-fixtures';
import { describe, expect, it } from 'vitest';
import { preparePipUnify } from '../src/index.js';
import { NEWTON_PIP_WHEELS } from './helpers.js';

/** OSA Newton's global-requirement-pins.txt, shortened: ranges, comments and the pip tools' block. */
const NEWTON_PINS = `# Use this file with caution!
ldappool==2.1.0
gnocchiclient>=2.2.0,<3.0.0
###
pip==9.0.1
setuptools==33.1.1
wheel==0.29.0
`;

function deployHost(pins = NEWTON_PINS) {
  const dir = tempDir();
  const osaDir = join(dir, 'openstack-ansible');
  mkdirSync(osaDir);
  writeFileSync(join(osaDir, 'global-requirement-pins.txt'), pins);
  const getPip = join(dir, 'get-pip.py');
  writeFileSync(getPip, '#!/usr/bin/env python\n# get-pip stand-in\n');
  const sha256 = createHash('sha256').update(readFileSync(getPip)).digest('hex');
  const wheels = join(dir, 'wheels');
  mkdirSync(wheels);
  for (const name of NEWTON_PIP_WHEELS) writeFileSync(join(wheels, name), '');
  return { dir, osaDir, getPip: { file: getPip, sha256 }, wheels, outDir: join(dir, 'backup/pip-unify') };
}

describe('preparePipUnify', () => {
  it("writes get-pip.py, the target's pins as constraints, upstream's requirements under them, the wheels and the manifest", async () => {
    const host = deployHost();
    const prepared = await preparePipUnify(host);
    expect(readdirSync(host.outDir).sort()).toEqual([
      'constraints.txt',
      'get-pip.py',
      'manifest.json',
      'requirements.txt',
      'wheels',
    ]);
    expect(readFileSync(join(host.outDir, 'constraints.txt'), 'utf8')).toBe(NEWTON_PINS);
    // pip, setuptools and wheel are left to the constraints: two pins that disagree would make pip refuse.
    expect(readFileSync(join(host.outDir, 'requirements.txt'), 'utf8')).toBe(
      'cryptography==1.7.2\npackaging==16.8\npip\nsetuptools\nvirtualenv==15.1.0\nwheel\n',
    );
    expect(readdirSync(join(host.outDir, 'wheels')).sort()).toEqual([...NEWTON_PIP_WHEELS].sort());
    const manifest = JSON.parse(readFileSync(join(host.outDir, 'manifest.json'), 'utf8')) as unknown;
    expect(manifest).toEqual({
      getPipSha256: host.getPip.sha256,
      pins: {
        cryptography: '1.7.2',
        packaging: '16.8',
        pip: '9.0.1',
        setuptools: '33.1.1',
        virtualenv: '15.1.0',
        wheel: '0.29.0',
      },
      aptPackages: ['libssl-dev', 'libffi-dev', 'python-dev'],
      wheels: true,
    });
    expect(prepared.manifest).toEqual(manifest);
  });

  it("takes the target's pin where it differs from upstream's list, and uses the hosts' index without wheels", async () => {
    const host = deployHost(NEWTON_PINS.replace('setuptools==33.1.1', 'setuptools==34.0.0'));
    const { wheels: _unused, ...withoutWheels } = host;
    const prepared = await preparePipUnify(withoutWheels);
    expect(prepared.manifest.pins['setuptools']).toBe('34.0.0');
    expect(prepared.manifest.wheels).toBe(false);
    expect(readdirSync(host.outDir)).not.toContain('wheels');
  });

  it('fails before writing anything, naming the file and the fix, on a get-pip.py that is missing or not the one expected', async () => {
    const host = deployHost();
    await expect(
      preparePipUnify({ ...host, getPip: { ...host.getPip, file: join(host.dir, 'nope.py') } }),
    ).rejects.toMatchObject({
      code: 'LEAP_GET_PIP_MISSING',
      file: join(host.dir, 'nope.py'),
      hint: expect.stringContaining(
        'https://raw.githubusercontent.com/pypa/get-pip/430ba37776ae2ad89f794c7a43b90dc23bac334c/get-pip.py',
      ),
    });
    writeFileSync(host.getPip.file, 'tampered');
    await expect(preparePipUnify(host)).rejects.toMatchObject({
      code: 'LEAP_GET_PIP_SHA256_MISMATCH',
      message: expect.stringContaining(`not the ${host.getPip.sha256} leap.yaml expects`),
    });
    expect(readdirSync(host.dir)).not.toContain('backup');
  });

  it('fails on a checkout without pins, or pins without pip, setuptools and wheel, naming the file', async () => {
    const host = deployHost('ldappool==2.1.0\npip>=9\n');
    await expect(preparePipUnify(host)).rejects.toMatchObject({
      code: 'LEAP_PIP_PINS_INVALID',
      file: join(host.osaDir, 'global-requirement-pins.txt'),
      message: expect.stringContaining('pins no exact version of pip, setuptools, wheel'),
    });
    await expect(preparePipUnify({ ...host, osaDir: join(host.dir, 'missing') })).rejects.toMatchObject({
      code: 'LEAP_PIP_PINS_MISSING',
      file: join(host.dir, 'missing', 'global-requirement-pins.txt'),
    });
  });

  it('names every pinned package the wheel folder lacks, and does not take 9.0.10 for 9.0.1', async () => {
    const host = deployHost();
    writeFileSync(join(host.wheels, 'pip-9.0.1-py2.py3-none-any.whl'), '');
    const folder = join(host.dir, 'few-wheels');
    mkdirSync(folder);
    writeFileSync(join(folder, 'pip-9.0.10-py2.py3-none-any.whl'), '');
    writeFileSync(join(folder, 'Wheel-0.29.0-py2.py3-none-any.whl'), '');
    writeFileSync(join(folder, 'setuptools-33.1.1.zip'), '');
    await expect(preparePipUnify({ ...host, wheels: folder })).rejects.toMatchObject({
      code: 'LEAP_PIP_WHEELS_INCOMPLETE',
      message: `the wheel folder ${folder} has no file for cryptography==1.7.2, packaging==16.8, pip==9.0.1, virtualenv==15.1.0`,
    });
  });
});
