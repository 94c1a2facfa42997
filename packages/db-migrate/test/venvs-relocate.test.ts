import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { localExec } from '@leap/contract';
import { tempDir } from '@leap/test-fixtures';
import { relocateVenv } from '../src/venvs/relocate.js';
import { hostVenvTarball, venvStamp, VENV_STAMP_FILE } from '../src/venvs/host-tarball.js';
import { sha256OfFile } from '../src/venvs/sha256-file.js';

const VENV = 'openstack-ansible-liberty-eol';
const TO = `/opt/${VENV}`;

/**
 * A virtualenv as `virtualenv` leaves it at `at`, in the parts leap relocates. `python` is either a binary that
 * names the build path (left alone) or a link to this node, so that `bin/keystone-manage` (a node script) runs.
 */
function fakeVenv(at: string, python: 'binary' | 'node'): void {
  const file = (relative: string, content: string | Buffer, mode: number): void => {
    mkdirSync(join(at, relative, '..'), { recursive: true });
    writeFileSync(join(at, relative), content, { mode });
  };
  file(
    'bin/activate',
    [
      '# This file must be used with "source bin/activate" *from bash*',
      `VIRTUAL_ENV="${at}"`,
      'export VIRTUAL_ENV',
      'PATH="$VIRTUAL_ENV/bin:$PATH"',
      `OTHER_TREE="${at}-other/x"`,
      '',
    ].join('\n'),
    0o644,
  );
  file('bin/activate.csh', `setenv VIRTUAL_ENV "${at}"\nset _OLD_VIRTUAL_PATH="$PATH"\n`, 0o644);
  file('bin/keystone-manage', `#!${at}/bin/python\n// built in ${at}/lib/python2.7\nconsole.log("ok");\n`, 0o755);
  file('bin/pip', '#!/usr/bin/env python\nimport pip\n', 0o755);
  if (python === 'binary') {
    file('bin/python', Buffer.concat([Buffer.from('\x7fELF\0\0\0'), Buffer.from(`${at}/lib/python2.7\0`)]), 0o755);
  } else {
    symlinkSync(process.execPath, join(at, 'bin/python'));
  }
  symlinkSync('python', join(at, 'bin/python2.7'));
  file('lib/python2.7/site-packages/x.pth', `${at}/src/x\n`, 0o644);
  file('lib/python2.7/site-packages/x.egg-link', `${at}/src/x\n.\n`, 0o644);
  mkdirSync(join(at, 'local'));
  symlinkSync(join(at, 'bin'), join(at, 'local/bin'));
  symlinkSync('/usr/lib/python2.7', join(at, 'local/lib-system'));
}

const mode = (file: string): number => statSync(file).mode & 0o7777;

async function tar(argv: string[]): Promise<void> {
  const result = await localExec(['tar', ...argv]);
  expect(result.stderr).toBe('');
  expect(result.exitCode).toBe(0);
}

describe('relocateVenv', () => {
  it('points the activation scripts, shebangs, .pth/.egg-link files and absolute links at the new path', async () => {
    const built = join(tempDir(), VENV);
    fakeVenv(built, 'binary');
    const python = readFileSync(join(built, 'bin/python'));

    const relocation = await relocateVenv(built, TO);

    expect(relocation.from).toBe(built);
    expect(relocation.to).toBe(TO);
    expect([...relocation.rewritten].sort()).toEqual(
      [
        'bin/activate',
        'bin/activate.csh',
        'bin/keystone-manage',
        'lib/python2.7/site-packages/x.egg-link',
        'lib/python2.7/site-packages/x.pth',
        'local/bin',
      ].sort(),
    );
    const text = (relative: string): string => readFileSync(join(built, relative), 'utf8');
    expect(text('bin/activate')).toContain(`\nVIRTUAL_ENV="${TO}"\n`);
    // Another folder whose name merely starts with the build path is not the venv.
    expect(text('bin/activate')).toContain(`\nOTHER_TREE="${built}-other/x"\n`);
    expect(text('bin/activate')).not.toContain(`"${built}"`);
    expect(text('bin/activate.csh')).toBe(`setenv VIRTUAL_ENV "${TO}"\nset _OLD_VIRTUAL_PATH="$PATH"\n`);
    // Only the shebang of a script: its body is its own business.
    expect(text('bin/keystone-manage')).toBe(
      `#!${TO}/bin/python\n// built in ${built}/lib/python2.7\nconsole.log("ok");\n`,
    );
    expect(text('bin/pip')).toBe('#!/usr/bin/env python\nimport pip\n');
    expect(text('lib/python2.7/site-packages/x.pth')).toBe(`${TO}/src/x\n`);
    expect(text('lib/python2.7/site-packages/x.egg-link')).toBe(`${TO}/src/x\n.\n`);
    // Binaries are left byte for byte; relative and foreign links are left alone.
    expect(readFileSync(join(built, 'bin/python')).equals(python)).toBe(true);
    expect(readlinkSync(join(built, 'bin/python2.7'))).toBe('python');
    expect(readlinkSync(join(built, 'local/bin'))).toBe(`${TO}/bin`);
    expect(readlinkSync(join(built, 'local/lib-system'))).toBe('/usr/lib/python2.7');
    // Modes are kept, and no temporary file is left beside the rewritten ones.
    expect(mode(join(built, 'bin/keystone-manage'))).toBe(0o755);
    expect(mode(join(built, 'bin/python'))).toBe(0o755);
    expect(mode(join(built, 'bin/activate'))).toBe(0o644);
    expect(mode(join(built, 'lib/python2.7/site-packages/x.pth'))).toBe(0o644);
    expect(readdirSync(join(built, 'bin')).sort()).toEqual(
      ['activate', 'activate.csh', 'keystone-manage', 'pip', 'python', 'python2.7'].sort(),
    );
  });

  it('keeps links to scripts as links, and group-writable modes whatever the umask', async () => {
    const at = join(tempDir(), 'build');
    fakeVenv(at, 'binary');
    symlinkSync('keystone-manage', join(at, 'bin/a-link-sorted-first'));
    chmodSync(join(at, 'bin/keystone-manage'), 0o775);
    await relocateVenv(at, TO);
    expect(lstatSync(join(at, 'bin/a-link-sorted-first')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(at, 'bin/a-link-sorted-first'))).toBe('keystone-manage');
    expect(readFileSync(join(at, 'bin/keystone-manage'), 'utf8').split('\n')[0]).toBe(`#!${TO}/bin/python`);
    expect(mode(join(at, 'bin/keystone-manage'))).toBe(0o775);
  });

  it('changes nothing when the venv already lives at the path', async () => {
    const built = join(tempDir(), VENV);
    fakeVenv(built, 'binary');
    const before = readFileSync(join(built, 'bin/keystone-manage'), 'utf8');
    expect(await relocateVenv(built, built)).toEqual({ from: built, to: built, rewritten: [] });
    expect(readFileSync(join(built, 'bin/keystone-manage'), 'utf8')).toBe(before);
  });

  it('fails with LEAP_VENV_INVALID naming bin/activate when there is none', async () => {
    const root = tempDir();
    mkdirSync(join(root, 'bin'));
    const error = await relocateVenv(root, TO).catch((e: unknown) => e);
    expect(error).toMatchObject({
      name: 'DbMigrateError',
      code: 'LEAP_VENV_INVALID',
      file: join(root, 'bin/activate'),
    });
    expect((error as Error).message).toContain('bin/activate');
    expect((error as Error).message).toContain(root);
  });

  it('fails with LEAP_VENV_INVALID when bin/activate has no VIRTUAL_ENV line', async () => {
    const root = tempDir();
    mkdirSync(join(root, 'bin'));
    writeFileSync(join(root, 'bin/activate'), '# activate\nexport PATH="/somewhere/bin:$PATH"\n');
    writeFileSync(join(root, 'bin/keystone-manage'), '#!/somewhere/bin/python\n', { mode: 0o755 });
    const error = await relocateVenv(root, TO).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'LEAP_VENV_INVALID', file: join(root, 'bin/activate') });
    expect((error as Error).message).toContain('VIRTUAL_ENV');
    expect(readFileSync(join(root, 'bin/keystone-manage'), 'utf8')).toBe('#!/somewhere/bin/python\n');
  });
});

describe('hostVenvTarball', () => {
  /** A tarball of one folder named VENV holding a venv built there, the build folder deleted afterwards. */
  async function builtTarball(dir: string): Promise<{ tarball: string; sha256: string; builtAt: string }> {
    const build = join(dir, 'build');
    const builtAt = join(build, VENV);
    fakeVenv(builtAt, 'node');
    const tarball = join(dir, `${VENV}.tgz`);
    await tar(['-czf', tarball, '-C', build, VENV]);
    rmSync(build, { recursive: true });
    return { tarball, sha256: (await sha256OfFile(tarball)).sha256, builtAt };
  }

  it('relocates the venv to dest, stamps it and packs one folder named like dest that runs there', async () => {
    const dir = tempDir();
    const { tarball, sha256, builtAt } = await builtTarball(dir);
    const dest = join(dir, 'opt', VENV);
    const workDir = join(dir, 'work');

    // As built, the venv runs nowhere but at its build path, which is gone.
    await tar(['-xzf', tarball, '-C', dir]);
    expect(existsSync(builtAt)).toBe(false);
    expect((await localExec([join(dir, VENV, 'bin/keystone-manage')])).exitCode).toBe(127);

    const hosted = await hostVenvTarball({ tarball, sha256, dest, workDir, exec: localExec });
    expect(hosted).toMatchObject({ stamp: venvStamp(sha256, dest), built: true, from: builtAt, rewritten: 6 });
    expect(readdirSync(workDir)).toEqual([hosted.file.slice(workDir.length + 1)]);
    expect(hosted.file).toMatch(new RegExp(`^${workDir}/${VENV}\\.[0-9a-f]{16}\\.relocated\\.tgz$`));

    mkdirSync(join(dir, 'opt'));
    await tar(['-xzf', hosted.file, '-C', join(dir, 'opt')]);
    expect(readdirSync(join(dir, 'opt'))).toEqual([VENV]);
    expect(readFileSync(join(dest, VENV_STAMP_FILE), 'utf8')).toBe(venvStamp(sha256, dest));
    expect(readFileSync(join(dest, 'bin/keystone-manage'), 'utf8').split('\n')[0]).toBe(`#!${dest}/bin/python`);
    expect(readFileSync(join(dest, 'bin/activate'), 'utf8')).toContain(`\nVIRTUAL_ENV="${dest}"\n`);
    expect(mode(join(dest, 'bin/keystone-manage'))).toBe(0o755);
    expect(readlinkSync(join(dest, 'bin/python'))).toBe(process.execPath);
    expect(readlinkSync(join(dest, 'local/bin'))).toBe(join(dest, 'bin'));

    const run = await localExec([join(dest, 'bin/keystone-manage')]);
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe('ok\n');
    const viaLocal = await localExec([join(dest, 'local/bin/keystone-manage')]);
    expect(viaLocal.stdout).toBe('ok\n');

    const again = await hostVenvTarball({ tarball, sha256, dest, workDir, exec: localExec });
    expect(again).toEqual({ file: hosted.file, stamp: hosted.stamp, built: false });
    expect(lstatSync(hosted.file).isFile()).toBe(true);
  });

  it('takes a tarball whose top is the venv itself', async () => {
    const dir = tempDir();
    const builtAt = join(dir, 'build', VENV);
    fakeVenv(builtAt, 'node');
    const tarball = join(dir, 'flat.tgz');
    await tar(['-czf', tarball, '-C', builtAt, '.']);
    rmSync(join(dir, 'build'), { recursive: true });
    const dest = join(dir, 'opt', VENV);

    const hosted = await hostVenvTarball({
      tarball,
      sha256: 'ab'.repeat(32),
      dest,
      workDir: join(dir, 'work'),
      exec: localExec,
    });
    expect(hosted).toMatchObject({ built: true, from: builtAt });
    mkdirSync(join(dir, 'opt'));
    await tar(['-xzf', hosted.file, '-C', join(dir, 'opt')]);
    expect(readdirSync(join(dir, 'opt'))).toEqual([VENV]);
    expect((await localExec([join(dest, 'bin/keystone-manage')])).stdout).toBe('ok\n');
  });

  it('fails with LEAP_VENV_INVALID naming a tarball that is not a gzip tar archive', async () => {
    const dir = tempDir();
    const tarball = join(dir, `${VENV}.tgz`);
    writeFileSync(tarball, randomBytes(4096));
    const workDir = join(dir, 'work');
    const error = await hostVenvTarball({ tarball, sha256: 'ab'.repeat(32), dest: TO, workDir, exec: localExec }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ name: 'DbMigrateError', code: 'LEAP_VENV_INVALID', file: tarball });
    expect((error as Error).message).toContain(`cannot unpack ${tarball}`);
    expect(readdirSync(workDir).filter((n) => n.includes('.relocated.tgz'))).toEqual([]);
  });

  it('fails with LEAP_VENV_INVALID when the tarball holds two venv folders, or none', async () => {
    const dir = tempDir();
    const build = join(dir, 'build');
    fakeVenv(join(build, 'one'), 'binary');
    fakeVenv(join(build, 'two'), 'binary');
    mkdirSync(join(build, 'empty', 'bin'), { recursive: true });
    const two = join(dir, 'two.tgz');
    const none = join(dir, 'none.tgz');
    await tar(['-czf', two, '-C', build, 'one', 'two']);
    await tar(['-czf', none, '-C', build, 'empty']);
    const workDir = join(dir, 'work');

    for (const [tarball, holds] of [
      [two, 'holds 2 virtualenv folders'],
      [none, 'holds no virtualenv folders'],
    ] as const) {
      const error = await hostVenvTarball({
        tarball,
        sha256: 'cd'.repeat(32),
        dest: TO,
        workDir,
        exec: localExec,
      }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'LEAP_VENV_INVALID', file: tarball });
      expect((error as Error).message).toContain(`${tarball} ${holds}`);
      expect(readdirSync(workDir).filter((n) => n.includes('.relocated.tgz'))).toEqual([]);
    }
  });

  it('leaves no staging folder in workDir after a failure', async () => {
    const dir = tempDir();
    const build = join(dir, 'build');
    fakeVenv(join(build, 'one'), 'binary');
    fakeVenv(join(build, 'two'), 'binary');
    const tarball = join(dir, 'two.tgz');
    await tar(['-czf', tarball, '-C', build, 'one', 'two']);
    const workDir = join(dir, 'work');
    await expect(
      hostVenvTarball({ tarball, sha256: 'cd'.repeat(32), dest: TO, workDir, exec: localExec }),
    ).rejects.toMatchObject({ code: 'LEAP_VENV_INVALID' });
    expect(readdirSync(workDir)).toEqual([]);
  });
});
