import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, leap, readLabJson, labSql, type LabJson } from '@leap/test-fixtures';

describe('a Liberty -> r14.1.0 leap on an all-in-one lab', () => {
  let base: string;
  let lab: LabJson;

  beforeAll(async () => {
    base = makeTempDir('leap-e2e-liberty-');
    const created = await leap([
      'lab',
      'create',
      join(base, 'lab'),
      '--source',
      'liberty',
      '--hosts',
      '1',
      '--single-db',
    ]);
    expect(created.exitCode, created.all).toBe(0);
    lab = readLabJson(join(base, 'lab'));
  });

  afterAll(async () => {
    if (lab) await leap(['lab', 'destroy', lab.dir]);
    rmSync(base, { recursive: true, force: true });
  });

  it('plans only the mitaka and newton sections', async () => {
    const plan = JSON.parse((await leap(['--config', lab.paths.leapYaml, '--json', 'plan'])).stdout) as {
      source: string;
      sections: Array<{ name: string }>;
    };
    expect(plan.source).toBe('liberty');
    const names = plan.sections.map((s) => s.name);
    expect(names.filter((n) => /configuration|migrations/.test(n))).toEqual([
      'mitaka configuration',
      'newton configuration',
      'mitaka database migrations',
      'newton database migrations',
    ]);
  });

  it('leaps through mitaka and newton only', async () => {
    const result = await leap([
      '--config',
      lab.paths.leapYaml,
      'run',
      '--confirm-source',
      'liberty',
      '--confirm-redeploy',
      '--plain',
    ]);
    expect(result.exitCode, result.all).toBe(0);
    expect(result.all).not.toContain('liberty/migrate');
    expect(await labSql(lab, 'SELECT MAX(version) FROM nova.migrate_version')).toBe('334');
    const report = JSON.parse((await leap(['--config', lab.paths.leapYaml, '--json', 'report'])).stdout) as {
      schemaVersions: Array<{ release: string }>;
    };
    expect(new Set(report.schemaVersions.map((v) => v.release))).toEqual(new Set(['mitaka', 'newton']));
  });
});
