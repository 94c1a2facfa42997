import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labRows, makeTempDir } from '@leap/test-fixtures';
import { createLab, destroyLab, type LabInfo } from '@leap/lab';
import type { StepContext } from '@leap/markers';
import { loadConfig } from '../src/config.js';
import { createRuntime } from '../src/commands/shared.js';
import { checkFlavorData } from '../src/preflight/flavor-data-check.js';
import { migrationSteps } from '../src/plan/sections/database.js';
import { kiloFlavorDataSteps } from '../src/plan/sections/flavor-data.js';

let lab: LabInfo;
let root: string;

beforeAll(async () => {
  root = makeTempDir('leap-lab-migrations-');
  lab = await createLab(join(root, 'lab'), { singleDb: true, seed: 'kilo-test' });
}, 240_000);

afterAll(async () => {
  if (lab !== undefined && existsSync(lab.dir)) await destroyLab(lab.dir);
  await execa('rm', ['-rf', root]);
});

/** Runs SQL on the lab database; returns the rows. */
async function sql(query: string): Promise<string[][]> {
  return labRows(lab, query);
}

describe('the Liberty migrations on a Kilo lab (@leap/lab)', () => {
  it(
    "migrates Kilo flavor data before Liberty, runs neutron-db-manage as neutron and rewrites glance URLs with the deployment's VIP",
    { timeout: 120_000 },
    async () => {
      const unmigrated =
        'SELECT COUNT(*) FROM nova.instance_system_metadata s JOIN nova.instances i ON i.uuid = s.instance_uuid ' +
        "WHERE s.`key` = 'instance_type_id' AND s.deleted <> s.id AND i.deleted <> i.id";
      // Without --force Kilo leaves the instance that is mid-resize alone.
      const plain = await execa(join(lab.dir, 'releases/kilo/bin/nova-manage'), ['db', 'migrate_flavor_data']);
      expect(plain.stdout).toContain('4 instances matched query, 3 completed');

      // The lab gives Liberty's venv as a tarball for venvs/prepare (the e2e leap pushes it); here its folder.
      const config = await loadConfig({ config: lab.paths.leapYaml });
      const rt = createRuntime(
        { ...config, migrationVenvs: { ...config.migrationVenvs, liberty: join(lab.dir, 'releases/liberty') } },
        { stdout: () => undefined, stderr: () => undefined },
        { interactive: false },
      );
      const ctx = {
        stepId: 'test',
        signal: new AbortController().signal,
        log: () => undefined,
        progress: () => undefined,
        addSecret: () => undefined,
      } as unknown as StepContext;
      expect(await checkFlavorData(rt)).toMatchObject({
        status: 'ok',
        message: expect.stringContaining('1 live instances have flavor data not migrated') as unknown,
      });
      expect(await kiloFlavorDataSteps(rt)[0]!.run(ctx)).toBe("1 instances' flavor data migrated");
      expect(await sql(unmigrated)).toEqual([['0']]);
      expect(await checkFlavorData(rt)).toMatchObject({
        status: 'ok',
        message: "every live instance's flavor data is migrated",
      });

      await migrationSteps(rt, 'liberty')[0]!.run(ctx);
      const log = readFileSync(join(lab.dir, 'releases/migrations.log'), 'utf8');
      expect(log).toContain(
        "kilo nova-manage db migrate_flavor_data --force: 1 of 1 instances' flavor data migrated (as root)",
      );
      expect(log).toContain('liberty nova-manage db sync: nova 280 -> 302 (as root)');
      expect(log).toMatch(
        /liberty neutron-db-manage --config-file \S+ --config-file \S+ upgrade heads: neutron kilo -> \S+ \(as neutron\)/,
      );
      expect(
        await sql("SELECT COUNT(*) FROM glance.image_locations WHERE status = 'active' AND value LIKE '%:5000/v3/%'"),
      ).toEqual([['6']]);
      expect(
        await sql("SELECT COUNT(*) FROM glance.image_locations WHERE status = 'active' AND value LIKE '%/v2.0/%'"),
      ).toEqual([['0']]);
    },
  );
});
