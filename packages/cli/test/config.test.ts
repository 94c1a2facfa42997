import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '@leap/test-fixtures';
import { loadConfig, productionDefaults } from '../src/config.js';
import { leapConfigJsonSchema, validateConfig } from '../src/config-schema.js';

describe('loadConfig', () => {
  it('gives the production defaults without a file, the same as the schema gives for an empty file', async () => {
    expect(validateConfig({})).toEqual({ ok: true, config: productionDefaults() });
    const config = await loadConfig({});
    expect(config).toMatchObject({
      deployDir: '/etc/openstack_deploy',
      rpcoDir: '/opt/rpc-openstack',
      markerDir: '/etc/openstack_deploy/upgrade-leap',
      backupDir: '/openstack/backup',
      releaseFile: '/etc/openstack-release',
      target: 'r14.1.0',
      runner: 'ansible',
    });
  });

  it('lets every path flag override the file, and resolves relative paths against the file', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'leap.yaml'), 'deployDir: etc/openstack_deploy\nrpcoDir: /srv/rpc\nrunner: local\n');
    const config = await loadConfig({ config: join(dir, 'leap.yaml'), rpcoDir: '/elsewhere' });
    expect(config.deployDir).toBe(join(dir, 'etc/openstack_deploy'));
    expect(config.markerDir).toBe(join(dir, 'etc/openstack_deploy/upgrade-leap'));
    expect(config.rpcoDir).toBe('/elsewhere');
    expect(config.runner).toBe('local');
  });

  it('refuses unknown keys and names them and the file', async () => {
    const dir = tempDir();
    const file = join(dir, 'leap.yaml');
    writeFileSync(file, 'deployDir: /x\ndeploy_dir: /y\n');
    await expect(loadConfig({ config: file })).rejects.toMatchObject({
      code: 'LEAP_CLI_CONFIG_INVALID',
      file,
      message: expect.stringContaining('deploy_dir'),
      exitCode: 2,
    });
  });

  it('reports broken YAML with the file', async () => {
    const dir = tempDir();
    const file = join(dir, 'leap.yaml');
    writeFileSync(file, 'deployDir: [unclosed\n');
    await expect(loadConfig({ config: file })).rejects.toMatchObject({ code: 'LEAP_CONFIG_YAML', file });
  });

  it('reports broken YAML by line and column without quoting the file, which may hold the database password', async () => {
    const dir = tempDir();
    const file = join(dir, 'leap.yaml');
    writeFileSync(file, 'runner: local\ndatabase:\n  password: s3cret-Value-42\n  password: again\n');
    const error = await loadConfig({ config: file }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error).toMatchObject({ code: 'LEAP_CONFIG_YAML', file });
    expect(error?.message).toBe(`${file}:4:3: invalid YAML: Map keys must be unique`);
    expect(error?.message).not.toContain('s3cret-Value-42');
  });

  it('takes redeploy.swift as a boolean only: YAML 1.2 reads `no` as a string, and leap says so', async () => {
    const dir = tempDir();
    const file = join(dir, 'leap.yaml');
    writeFileSync(file, 'redeploy:\n  swift: false\n');
    expect((await loadConfig({ config: file })).redeploy).toEqual({ swift: false });
    writeFileSync(file, 'redeploy:\n  swift: no\n');
    await expect(loadConfig({ config: file })).rejects.toMatchObject({
      code: 'LEAP_CLI_CONFIG_INVALID',
      message: expect.stringMatching(/expected boolean \(true or false\), received string\n {2}→ at redeploy\.swift/),
    });
  });

  it('reports a missing file', async () => {
    await expect(loadConfig({ config: '/nonexistent/leap.yaml' })).rejects.toMatchObject({
      code: 'LEAP_CONFIG_UNREADABLE',
    });
  });

  it('publishes a JSON Schema with every key', () => {
    const schema = leapConfigJsonSchema() as { properties: Record<string, unknown>; additionalProperties: boolean };
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(['deployDir', 'rpcoDir', 'markerDir', 'database', 'ansible', 'runner']),
    );
    expect(schema.additionalProperties).toBe(false);
  });
});
