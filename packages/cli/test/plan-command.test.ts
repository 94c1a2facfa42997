import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '@leap/test-fixtures';
import { main } from '../src/main.js';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (t: string) => void out.push(t), stderr: (t: string) => void err.push(t) }, out, err };
}

function deployment(release: string) {
  const dir = tempDir();
  writeFileSync(join(dir, 'openstack-release'), `DISTRIB_RELEASE="${release}"\n`);
  return [
    '--release-file',
    join(dir, 'openstack-release'),
    '--deploy-dir',
    join(dir, 'deploy'),
    '--marker-dir',
    join(dir, 'markers'),
    '--rpco-dir',
    join(dir, 'rpc'),
  ];
}

describe('leap plan', () => {
  it('lists the kilo leap through liberty, mitaka and newton in order, and touches nothing', async () => {
    const { io, out } = capture();
    const flags = deployment('r11.1.18');
    expect(await main(['plan', '--json', ...flags], io, false)).toBe(0);
    const view = JSON.parse(out.join('')) as {
      source: string;
      sections: Array<{ name: string; steps: Array<{ id: string; state: string }> }>;
    };
    expect(view.source).toBe('kilo');
    const names = view.sections.map((s) => s.name);
    expect(names.indexOf('liberty configuration')).toBeLessThan(names.indexOf('mitaka configuration'));
    expect(names.indexOf('mitaka configuration')).toBeLessThan(names.indexOf('newton configuration'));
    expect(view.sections.flatMap((s) => s.steps).every((s) => s.state === 'pending')).toBe(true);
    const { existsSync } = await import('node:fs');
    expect(existsSync(flags[5]!)).toBe(false);
  });

  it('takes the verified backup before housekeeping deletes any row', async () => {
    const { io, out } = capture();
    expect(await main(['plan', '--json', ...deployment('r11.1.18')], io, false)).toBe(0);
    const ids = (JSON.parse(out.join('')) as { sections: Array<{ steps: Array<{ id: string }> }> }).sections.flatMap(
      (s) => s.steps.map((step) => step.id),
    );
    expect(ids).toContain('db/housekeeping');
    expect(ids.indexOf('db/backup')).toBeGreaterThanOrEqual(0);
    expect(ids.indexOf('db/backup')).toBeLessThan(ids.indexOf('db/housekeeping'));
  });

  it('lists only the mitaka and newton sections for a liberty source', async () => {
    const { io, out } = capture();
    expect(await main(['plan', '--json', ...deployment('r12.2.8')], io, false)).toBe(0);
    const names = (JSON.parse(out.join('')) as { sections: Array<{ name: string }> }).sections.map((s) => s.name);
    expect(names.filter((n) => n.endsWith('configuration'))).toEqual(['mitaka configuration', 'newton configuration']);
  });

  it('refuses a deployment that already runs newton, naming the release file', async () => {
    const { io, err } = capture();
    expect(await main(['plan', ...deployment('r14.1.0')], io, false)).toBe(2);
    expect(err.join('')).toContain('LEAP_ALREADY_AT_TARGET');
  });
});

describe('leap status', () => {
  it('says the leap has not started yet', async () => {
    const { io, out } = capture();
    expect(await main(['status', ...deployment('r11.1.18')], io, false)).toBe(0);
    expect(out.join('')).toMatch(/kilo -> r14\.1\.0: 0\/\d+ steps done, not started/);
  });
});
