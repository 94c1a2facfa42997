import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { acquireRunLock } from '@leap/markers';
import { tempDir } from '@leap/test-fixtures';
import { main } from '../src/main.js';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { stdout: (t: string) => void out.push(t), stderr: (t: string) => void err.push(t) },
    out,
    err,
    text: () => out.join('') + err.join(''),
  };
}

/** A deploy host's folders with a Kilo release file; returns the flags pointing leap at them. */
function kiloHost() {
  const dir = tempDir();
  const deployDir = join(dir, 'openstack_deploy');
  mkdirSync(deployDir);
  writeFileSync(join(deployDir, 'user_variables.yml'), '---\n# kept\nnova_v21_service_port: 8774\n');
  writeFileSync(join(dir, 'openstack-release'), 'DISTRIB_RELEASE="r11.1.18"\n');
  const flags = [
    '--deploy-dir',
    deployDir,
    '--release-file',
    join(dir, 'openstack-release'),
    '--rpco-dir',
    join(dir, 'rpc'),
    '--backup-dir',
    join(dir, 'backup'),
  ];
  return { dir, deployDir, markerDir: join(deployDir, 'upgrade-leap'), flags };
}

function snapshot(dir: string): string {
  const hash = createHash('sha256');
  const walk = (d: string) => {
    for (const name of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(d, name.name);
      hash.update(path);
      if (name.isDirectory()) walk(path);
      else hash.update(readFileSync(path));
    }
  };
  walk(dir);
  return hash.digest('hex');
}

describe('leap run: confirmation 1', () => {
  it('declines with exit 4 when the typed source is not the detected one, and changes nothing', async () => {
    const host = kiloHost();
    const before = snapshot(host.dir);
    const { io, text } = capture();
    expect(await main(['run', '--confirm-source', 'liberty', ...host.flags], io, false)).toBe(4);
    expect(text()).toContain("the source release given ('liberty') is not the detected one ('kilo')");
    expect(snapshot(host.dir)).toBe(before);
    expect(existsSync(host.markerDir)).toBe(false);
  });

  it('stops with exit 2 and names the flag when there is no terminal and no answer, and changes nothing', async () => {
    const host = kiloHost();
    const before = snapshot(host.dir);
    const { io, text } = capture();
    expect(await main(['run', ...host.flags], io, false)).toBe(2);
    expect(text()).toContain('--confirm-source kilo');
    expect(snapshot(host.dir)).toBe(before);
  });

  it('refuses with exit 3 while another leap holds the run lock, naming its owner', async () => {
    const host = kiloHost();
    mkdirSync(host.markerDir);
    const lock = await acquireRunLock(host.markerDir, { command: 'leap run (the other one)' });
    try {
      const { io, text } = capture();
      expect(await main(['run', '--confirm-source', 'kilo', ...host.flags], io, false)).toBe(3);
      expect(text()).toContain('another leap is running');
      expect(text()).toContain(String(process.pid));
    } finally {
      await lock.release();
    }
  });

  it('reports a lock left by a dead run with exit 3 and takes it over only with --force-unlock', async () => {
    const host = kiloHost();
    mkdirSync(host.markerDir);
    const markers = fileURLToPath(new URL('../../markers/dist/index.js', import.meta.url));
    const holder = execa(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { acquireRunLock } from ${JSON.stringify(markers)}; await acquireRunLock(${JSON.stringify(host.markerDir)}, { command: 'leap run (killed)' }); console.log('locked'); setInterval(() => {}, 1000);`,
      ],
      { reject: false },
    );
    await new Promise<void>((resolve) =>
      holder.stdout?.on('data', (d: Buffer) => {
        if (d.toString().includes('locked')) resolve();
      }),
    );
    holder.kill('SIGKILL');
    await holder;
    const { io, text } = capture();
    expect(await main(['run', '--confirm-source', 'kilo', '--plain', ...host.flags], io, false)).toBe(3);
    expect(text()).toContain('LEAP_LOCK_STALE');
    const again = capture();
    expect(
      await main(['run', '--confirm-source', 'kilo', '--plain', '--force-unlock', ...host.flags], again.io, false),
    ).toBe(1);
    expect(again.text()).toContain('failed at step preflight/checks');
    // The command to resume with does not take the next lock over blindly.
    expect(again.text()).toMatch(/resume with: leap run --confirm-source kilo --plain --deploy-dir /);
    expect(again.text()).not.toMatch(/resume with: .*--force-unlock/);
  });

  it('stops at the first failing step with exit 1, the hint, the remaining steps and the resume command', async () => {
    const host = kiloHost();
    const { io, text } = capture();
    // No inventory and no rpc-openstack checkout: preflight fails after confirmation 1.
    expect(await main(['run', '--confirm-source', 'kilo', '--plain', ...host.flags], io, false)).toBe(1);
    expect(text()).toContain('failed at step preflight/checks');
    expect(text()).toMatch(/remaining steps \(\d+\): preflight\/checks, git\/checkout/);
    expect(text()).toContain('resume with: leap run --confirm-source kilo --plain');
    expect(JSON.parse(readFileSync(join(host.markerDir, 'leap.json'), 'utf8'))).toMatchObject({
      source: 'kilo',
      target: 'r14.1.0',
    });
  });
});
