import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '@leap/test-fixtures';
import {
  keepShortHostnames,
  rpcAptSourcesItem,
  shadowedLeapfrogOverrides,
  writeLeapfrogOverrides,
} from '../src/index.js';

const overrides = '---\n# site tuning, migrated from user_variables.yml\nnova_cpu_allocation_ratio: 8.0 # overcommit\n';

function deployDir(files: Record<string, string>): string {
  const dir = tempDir();
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('keepShortHostnames (RLM-322)', () => {
  it("adds openstack_domain: '' to the OSA overrides, keeping comments, after a backup; a re-run changes nothing", async () => {
    const dir = deployDir({ 'user_osa_variables_overrides.yml': overrides, 'user_osa_secrets.yml': 'x_password: s\n' });
    const backupDir = join(dir, 'backup');
    const file = join(dir, 'user_osa_variables_overrides.yml');
    expect(await keepShortHostnames({ configDir: dir, backupDir })).toEqual({ action: 'added', file, unread: [] });
    expect(readFileSync(file, 'utf8')).toBe(`${overrides}openstack_domain: ""\n`);
    expect(readFileSync(join(backupDir, 'user_osa_variables_overrides.yml.before-openstack-domain'), 'utf8')).toBe(
      overrides,
    );
    const written = readFileSync(file, 'utf8');
    expect(await keepShortHostnames({ configDir: dir, backupDir })).toMatchObject({ action: 'kept', file });
    expect(readFileSync(file, 'utf8')).toBe(written);
  });

  it('keeps the operator’s own domain from any user file; a commented-out line is not a setting', async () => {
    const dir = deployDir({
      'user_osa_variables_overrides.yml': `${overrides}# openstack_domain: example.com\n`,
      'user_site.yml': '---\nopenstack_domain: cloud.example.com\n',
    });
    const result = await keepShortHostnames({ configDir: dir, backupDir: join(dir, 'backup') });
    expect(result).toEqual({ action: 'kept', file: join(dir, 'user_site.yml'), unread: [] });
    expect(readFileSync(join(dir, 'user_osa_variables_overrides.yml'), 'utf8')).not.toContain('openstack_domain: ""');
    expect(existsSync(join(dir, 'backup'))).toBe(false);

    const commented = deployDir({
      'user_osa_variables_overrides.yml': `${overrides}# openstack_domain: example.com\n`,
    });
    expect(await keepShortHostnames({ configDir: commented, backupDir: join(commented, 'backup') })).toMatchObject({
      action: 'added',
    });
  });

  it('names the vault-encrypted user files it could not search', async () => {
    const dir = deployDir({
      'user_osa_variables_overrides.yml': overrides,
      'user_osa_secrets.yml': '$ANSIBLE_VAULT;1.1;AES256\n6162\n',
    });
    const result = await keepShortHostnames({ configDir: dir, backupDir: join(dir, 'backup') });
    expect(result).toMatchObject({ action: 'added', unread: [join(dir, 'user_osa_secrets.yml')] });
  });

  it('refuses before the RPC variables are migrated, naming the file and the step to run', async () => {
    const dir = deployDir({ 'user_variables.yml': overrides });
    await expect(keepShortHostnames({ configDir: dir, backupDir: join(dir, 'backup') })).rejects.toMatchObject({
      code: 'LEAP_OSA_OVERRIDES_MISSING',
      file: join(dir, 'user_osa_variables_overrides.yml'),
      hint: expect.stringContaining('redeploy/rpc-variables'),
    });
  });

  it('refuses a user file that is not valid YAML, naming it and the line, never quoting it', async () => {
    const dir = deployDir({
      'user_osa_variables_overrides.yml': overrides,
      'user_osa_secrets.yml': 'keystone_auth_admin_password: s3cret-Value-42\nkeystone_auth_admin_password: again\n',
    });
    const error = await keepShortHostnames({ configDir: dir, backupDir: join(dir, 'backup') }).catch((e: Error) => e);
    expect(error).toMatchObject({ code: 'LEAP_YAML_INVALID', file: join(dir, 'user_osa_secrets.yml') });
    expect((error as Error).message).toMatch(/user_osa_secrets\.yml:2:1 is not valid YAML/);
    expect((error as Error).message).not.toContain('s3cret');
    expect((error as Error).message).not.toContain('again');
  });
});

describe('the temporary overrides', () => {
  it("hold the apt cache for 6 hours beside the throttles (upstream's overwrite lost it)", async () => {
    const file = await writeLeapfrogOverrides(tempDir());
    expect(readFileSync(file, 'utf8')).toContain("cache_timeout: '21600'\n");
    expect(readFileSync(file, 'utf8')).toContain("nova_compute_serial: '100%'\n");
  });

  it("report an operator's value loaded after them, and leave the operator's files alone", async () => {
    const dir = deployDir({
      'user_osa_variables_overrides.yml': `${overrides}cache_timeout: 600\nnova_compute_serial: 20%\n`,
      // Loaded before user_leapfrog_overrides.yml: the temporary value wins over it.
      'user_aaa.yml': 'cache_timeout: 300\n',
    });
    await writeLeapfrogOverrides(dir);
    expect(await shadowedLeapfrogOverrides(dir)).toEqual([
      { key: 'cache_timeout', file: join(dir, 'user_osa_variables_overrides.yml') },
      { key: 'nova_compute_serial', file: join(dir, 'user_osa_variables_overrides.yml') },
    ]);
    expect(readFileSync(join(dir, 'user_osa_variables_overrides.yml'), 'utf8')).toContain('cache_timeout: 600\n');
  });
});

describe('rpcAptSourcesItem (§5.1 R4)', () => {
  it("runs RPC-O's configure-apt-sources.yml and takes RU's marker", () => {
    expect(rpcAptSourcesItem({ rpcPlaybooksDir: '/opt/rpc-openstack/rpcd/playbooks' })).toEqual({
      id: 'redeploy/rpc-apt-sources',
      playbook: '/opt/rpc-openstack/rpcd/playbooks/configure-apt-sources.yml',
      owner: 'rpc',
      legacyMarker: 'configure-apt-sources-rpc.complete',
    });
  });
});
