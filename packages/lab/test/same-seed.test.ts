import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '@leap/test-fixtures';
import { createLab, destroyLab, type LabInfo } from '../src/index.js';
import { git, sql } from './helpers.js';

let root: string;
let first: LabInfo;
let second: LabInfo;

beforeAll(async () => {
  root = makeTempDir('leap-lab-seed-');
  first = await createLab(join(root, 'one'), { singleDb: true, source: 'liberty', hosts: 1, seed: 'same' });
  second = await createLab(join(root, 'two'), { singleDb: true, source: 'liberty', hosts: 1, seed: 'same' });
}, 400_000);

afterAll(async () => {
  for (const lab of [first, second]) if (lab !== undefined) await destroyLab(lab.dir).catch(() => undefined);
  await execa('rm', ['-rf', root]);
});

/** Every file under `dir` with its content, paths of the lab and the database port replaced by placeholders. */
function snapshot(lab: LabInfo, dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (path: string): void => {
    for (const entry of readdirSync(path).sort()) {
      const full = join(path, entry);
      if (statSync(full).isDirectory()) walk(full);
      else
        out[relative(dir, full)] = readFileSync(full, 'utf8')
          .replaceAll(lab.dir, '<lab>')
          // Not inside a hex secret that happens to contain the port's digits.
          .replace(new RegExp(`(?<![0-9a-fA-F])${lab.database.port}(?![0-9a-fA-F])`, 'g'), '<port>');
    }
  };
  walk(dir);
  return out;
}

describe('two labs with the same seed', () => {
  it('have the same SHAs, config, inventory, host folders and leap.yaml', () => {
    expect(second.git).toEqual(first.git);
    expect(second.containers).toEqual(first.containers);
    expect(snapshot(second, second.paths.deployDir)).toEqual(snapshot(first, first.paths.deployDir));
    expect(snapshot(second, second.paths.hostsRoot)).toEqual(snapshot(first, first.paths.hostsRoot));
    expect(snapshot(second, join(second.dir, 'ansible'))).toEqual(snapshot(first, join(first.dir, 'ansible')));
    expect(snapshot(second, join(second.dir, 'releases'))).toEqual(snapshot(first, join(first.dir, 'releases')));
    const leapYaml = (lab: LabInfo) =>
      readFileSync(lab.paths.leapYaml, 'utf8')
        .replaceAll(lab.dir, '<lab>')
        .replace(/port: \d+/g, 'port: <port>')
        .replace(/(_galera_container-[0-9a-f]+): \d+/g, '$1: <port>');
    expect(leapYaml(second)).toEqual(leapYaml(first));
  });

  it('have the same rows', async () => {
    const tables =
      'keystone.token, keystone.migrate_version, nova.instances, nova.instance_faults, nova.services, neutron.agents, ' +
      'neutron.alembic_version, neutron.alembic_version_lbaas, cinder.services, heat.service, glance.image_locations';
    const checksums = async (lab: LabInfo) =>
      (await sql(lab, `CHECKSUM TABLE ${tables}`)).map(([table, sum]) => `${table} ${sum}`);
    expect(await checksums(second)).toEqual(await checksums(first));
  });
});

describe('a lab around a copy of an operator deploy dir', () => {
  it('keeps the operator files and takes its hosts from their inventory', async () => {
    const operator = join(root, 'operator-deploy');
    await execa('cp', ['-a', first.paths.deployDir, operator]);
    writeFileSync(
      join(operator, 'user_variables.yml'),
      `${readFileSync(join(operator, 'user_variables.yml'), 'utf8')}# operator's own note\n`,
    );
    mkdirSync(join(operator, 'upgrade-leap'));
    const lab = await createLab(join(root, 'rehearsal'), {
      singleDb: true,
      fromDeployDir: operator,
      seed: 'rehearsal',
    });
    try {
      expect(lab.fromDeployDir).toBe(operator);
      expect(lab.hosts).toEqual(['aio1']);
      expect(lab.containers).toEqual(first.containers);
      for (const file of ['user_variables.yml', 'user_secrets.yml', 'openstack_inventory.json']) {
        expect(readFileSync(join(lab.paths.deployDir, file), 'utf8')).toBe(readFileSync(join(operator, file), 'utf8'));
      }
      expect(existsSync(join(lab.paths.deployDir, 'upgrade-leap'))).toBe(false);
    } finally {
      await destroyLab(lab.dir);
    }
  }, 300_000);
});

describe('a Liberty lab', () => {
  it('is an all-in-one at r12.2.8 with Liberty schema versions, so only the Mitaka and Newton stand-ins apply', async () => {
    expect(first.hosts).toEqual(['aio1']);
    expect(await git(first.paths.rpcoDir, ['rev-parse', 'HEAD'])).toBe(first.git.rpco.source);
    expect(first.git.rpco.sourceTag).toBe('r12.2.8');
    expect(readFileSync(first.paths.releaseFile, 'utf8')).toContain('DISTRIB_RELEASE="r12.2.8"');
    expect(await sql(first, 'SELECT version FROM nova.migrate_version')).toEqual([['302']]);
    expect((await sql(first, 'SELECT version_num FROM neutron.alembic_version ORDER BY 1')).flat()).toEqual([
      '34af2b5c5a59',
      '4af11ca47297',
    ]);

    await execa(join(first.dir, 'releases/liberty/bin/nova-manage'), ['db', 'sync']);
    expect(await sql(first, 'SELECT version FROM nova.migrate_version')).toEqual([['302']]);
    const skip = await execa(join(first.dir, 'releases/newton/bin/heat-manage'), ['db_sync'], { reject: false });
    expect(skip.exitCode).toBe(1);
    expect(skip.stderr).toContain('run the mitaka migrations first');
    await execa(join(first.dir, 'releases/mitaka/bin/heat-manage'), ['db_sync']);
    await execa(join(first.dir, 'releases/newton/bin/heat-manage'), ['db_sync']);
    expect(await sql(first, 'SELECT version FROM heat.migrate_version')).toEqual([['73']]);
  });
});
