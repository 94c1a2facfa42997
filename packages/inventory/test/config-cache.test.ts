import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadEnvironmentDir, loadUserConfig } from '../src/index.js';
import { deployment } from './helpers.js';

describe('loading the same files again', () => {
  it('gives each caller its own copy of the user config and env.d', async () => {
    const { deployDir } = await deployment();
    const first = await loadUserConfig(deployDir);
    first.config.cidr_networks.container = 'changed by a caller';
    const second = await loadUserConfig(deployDir);
    expect(second.config.cidr_networks.container).not.toBe('changed by a caller');
    const env = await loadEnvironmentDir(join(deployDir, 'env.d'));
    env.environment.container_skel = null;
    expect((await loadEnvironmentDir(join(deployDir, 'env.d'))).environment.container_skel).not.toBeNull();
  });

  it('sees every change of a file, and a file that became invalid', async () => {
    const { deployDir } = await deployment();
    const file = join(deployDir, 'openstack_user_config.yml');
    await loadUserConfig(deployDir);
    appendFileSync(file, 'extra_hosts:\n  extra1:\n    ip: 172.29.236.250\n');
    expect((await loadUserConfig(deployDir)).config.extra_hosts).toEqual({ extra1: { ip: '172.29.236.250' } });
    writeFileSync(file, 'cidr_networks: [\n');
    await expect(loadUserConfig(deployDir)).rejects.toMatchObject({ code: 'LEAP_YAML_SYNTAX' });
  });

  it('reports a syntax error of a later env.d file before a schema error of an earlier one, as a fresh load does', async () => {
    const { deployDir } = await deployment();
    const envd = join(deployDir, 'env.d');
    await loadEnvironmentDir(envd);
    writeFileSync(join(envd, 'aaa.yml'), 'container_skel: [1]\n');
    await expect(loadEnvironmentDir(envd)).rejects.toMatchObject({ code: 'LEAP_ENVD_INVALID' });
    writeFileSync(join(envd, 'zzz.yml'), 'component_skel: {\n');
    await expect(loadEnvironmentDir(envd)).rejects.toMatchObject({ code: 'LEAP_YAML_SYNTAX' });
  });
});
