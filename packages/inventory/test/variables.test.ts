import { readFileSync, writeFileSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';
import { localExec } from '@leap/contract';
import {
  cleanupFacts,
  cleanupRpcoKilo,
  ensureRequiredVariables,
  migrateVariables,
  parseYamlText,
  type Logger,
  type StepReport,
} from '../src/index.js';
import { deployment, execa, snapshot } from './helpers.js';

const read = (dir: string, name: string) => readFileSync(join(dir, name), 'utf8');

function secretValues(text: string): string[] {
  const data = parseYamlText(text, 'secrets').data as Record<string, unknown>;
  return Object.values(data).filter((v): v is string => typeof v === 'string' && v.length >= 8);
}

function memoryLogger(lines: string[]): Logger {
  return {
    info: (m, d) => lines.push(m + JSON.stringify(d ?? {})),
    warn: (m, d) => lines.push(m + JSON.stringify(d ?? {})),
  };
}

describe('migrateVariables', () => {
  it('renames the Liberty variables in place, follows references, keeps comments, anchors and quoting', async () => {
    const d = await deployment();
    const before = read(d.deployDir, 'user_variables.yml');
    const report = await migrateVariables('liberty', d);
    const after = read(d.deployDir, 'user_variables.yml');
    expect(after).toBe(
      before.replaceAll('nova_v21_service_', 'nova_service_').replace('galera_sst_method:', 'galera_wsrep_sst_method:'),
    );
    expect(read(d.deployDir, 'user_extras_variables.yml')).toContain(
      'heat_service_project_domain_id: Default   # keystone v3 domain\n',
    );
    expect(report.changes.filter((c) => c.action === 'renamed').map((c) => c.key)).toEqual(
      expect.arrayContaining([
        'nova_v21_service_port -> nova_service_port',
        'galera_sst_method -> galera_wsrep_sst_method',
        'heat_service_project_domain_name -> heat_service_project_domain_id',
      ]),
    );
    // Backup of the original first.
    expect(read(d.backupDir, 'user_variables.yml')).toBe(before);
  });

  it('adds the missing secrets with crypto values, fills empty ones, keeps existing values and the 0600 mode', async () => {
    const d = await deployment();
    const before = parseYamlText(read(d.deployDir, 'user_secrets.yml'), 's').data as Record<string, string>;
    await migrateVariables('liberty', d);
    const text = read(d.deployDir, 'user_secrets.yml');
    const after = parseYamlText(text, 's').data as Record<string, string>;
    for (const [k, v] of Object.entries(before)) if (v !== null) expect(after[k]).toBe(v);
    expect(after.neutron_ha_vrrp_auth_password).toMatch(/^[0-9a-f]{16,63}$/);
    expect(after.aodh_service_password).toMatch(/^[0-9a-f]{16,63}$/);
    expect(after.nova_rabbitmq_password).not.toBe(after.aodh_service_password);
    expect(text).toContain('# left empty on purpose: the leap fills empty values\nneutron_ha_vrrp_auth_password: ');
    expect(statSync(join(d.deployDir, 'user_secrets.yml')).mode & 0o777).toBe(0o600);
  });

  it('renames ironic_galera_password to ironic_container_mysql_password in Newton, keeping its value', async () => {
    const d = await deployment();
    await migrateVariables('liberty', d);
    await migrateVariables('mitaka', d);
    const mitaka = parseYamlText(read(d.deployDir, 'user_secrets.yml'), 's').data as Record<string, string>;
    await migrateVariables('newton', d);
    const newton = parseYamlText(read(d.deployDir, 'user_secrets.yml'), 's').data as Record<string, string>;
    expect(newton.ironic_container_mysql_password).toBe(mitaka.ironic_galera_password);
    expect(newton.ironic_galera_password).toBeUndefined();
    expect(newton.lxd_trust_password).toMatch(/^[0-9a-f]+$/);
  });

  it('each release step applied twice gives identical bytes', async () => {
    const d = await deployment();
    for (const release of ['liberty', 'mitaka', 'newton']) {
      await migrateVariables(release, d);
      const once = snapshot(d.deployDir);
      const again = await migrateVariables(release, d);
      expect(snapshot(d.deployDir)).toEqual(once);
      expect(again.changes).toEqual([]);
    }
  });

  it('stops on a conflicting rename, shows both values and leaves every file untouched', async () => {
    const d = await deployment();
    writeFileSync(
      join(d.deployDir, 'user_extras_variables.yml'),
      `${read(d.deployDir, 'user_extras_variables.yml')}nova_service_port: 9999\n`,
    );
    const before = snapshot(d.root);
    const error = await migrateVariables('liberty', d).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'LEAP_RENAME_CONFLICT' });
    expect((error as Error).message).toContain('nova_v21_service_port = 8774');
    expect((error as Error).message).toContain('nova_service_port = 9999');
    expect(snapshot(d.root)).toEqual(before);
  });

  it('names the file, line and column of malformed YAML and leaves every file untouched', async () => {
    const d = await deployment();
    writeFileSync(join(d.deployDir, 'user_extras_variables.yml'), 'maas_notification_plan: [unclosed\nother: 1\n');
    const before = snapshot(d.root);
    const error = await migrateVariables('liberty', d).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'LEAP_YAML_SYNTAX', file: join(d.deployDir, 'user_extras_variables.yml') });
    expect((error as Error).message).toMatch(/user_extras_variables\.yml:\d+:\d+: invalid YAML/);
    expect((error as { hint: string }).hint).toMatch(/fix the YAML at line \d+/);
    expect(snapshot(d.root)).toEqual(before);
  });

  it('stops the Newton step when LBaaS v1 is enabled', async () => {
    const d = await deployment();
    writeFileSync(
      join(d.deployDir, 'user_variables.yml'),
      `${read(d.deployDir, 'user_variables.yml')}neutron_lbaas: true\n`,
    );
    await expect(migrateVariables('newton', d)).rejects.toMatchObject({ code: 'LEAP_LBAAS_V1' });
  });
});

describe('Ansible Vault', () => {
  async function vaulted() {
    const d = await deployment();
    const passwordFile = join(d.root, 'vault-pass');
    writeFileSync(passwordFile, 'lab-vault-password\n', { mode: 0o600 });
    const plain = read(d.deployDir, 'user_secrets.yml');
    const { stdout } = await execa(
      'ansible-vault',
      ['encrypt', '--vault-password-file', passwordFile, '--output', '-', '-'],
      { input: plain },
    );
    writeFileSync(join(d.deployDir, 'user_secrets.yml'), `${stdout}\n`, { mode: 0o600 });
    return { d, passwordFile, plain };
  }

  it('refuses an encrypted secrets file without a vault password and leaves every file untouched', async () => {
    const { d } = await vaulted();
    const before = snapshot(d.root);
    const error = await migrateVariables('liberty', d).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'LEAP_VAULT_PASSWORD_REQUIRED', file: join(d.deployDir, 'user_secrets.yml') });
    expect((error as { hint: string }).hint).toMatch(/vault password file/);
    expect(snapshot(d.root)).toEqual(before);
  });

  it('edits an encrypted secrets file in memory and writes it back encrypted', async () => {
    const { d, passwordFile, plain } = await vaulted();
    await migrateVariables('liberty', { ...d, vault: { exec: localExec, passwordFile } });
    const written = read(d.deployDir, 'user_secrets.yml');
    expect(written.startsWith('$ANSIBLE_VAULT;')).toBe(true);
    for (const value of secretValues(plain)) expect(written).not.toContain(value);
    const { stdout } = await execa(
      'ansible-vault',
      ['decrypt', '--vault-password-file', passwordFile, '--output', '-', '-'],
      { input: written },
    );
    const data = parseYamlText(stdout, 's').data as Record<string, string>;
    expect(data.galera_root_password).toBe('ffd1a2b3c4d5e6f7a8b9c0d1e2f3');
    expect(data.aodh_service_password).toMatch(/^[0-9a-f]+$/);
    expect(statSync(join(d.deployDir, 'user_secrets.yml')).mode & 0o777).toBe(0o600);
    // The backup is the ciphertext: no plaintext on disk anywhere.
    expect(read(d.backupDir, 'user_secrets.yml').startsWith('$ANSIBLE_VAULT;')).toBe(true);
  });
});

describe('secrets never leak', () => {
  it('no secret value appears in any report, error message, hint or log line', async () => {
    const d = await deployment();
    const lines: string[] = [];
    const logger = memoryLogger(lines);
    const outputs: string[] = [];
    const collect = (r: StepReport) => outputs.push(JSON.stringify(r));
    for (const release of ['liberty', 'mitaka', 'newton']) collect(await migrateVariables(release, { ...d, logger }));
    collect(await ensureRequiredVariables({ ...d, logger }));
    collect(await cleanupRpcoKilo({ ...d, logger }));
    const secrets = secretValues(read(d.deployDir, 'user_secrets.yml'));
    expect(secrets.length).toBeGreaterThan(30);
    // A conflicting secret rename: the error must name the keys, not the values.
    writeFileSync(
      join(d.deployDir, 'user_secrets.yml'),
      `${read(d.deployDir, 'user_secrets.yml')}ironic_galera_password: 0123456789abcdef0123\n`,
    );
    const error = (await migrateVariables('newton', { ...d, logger }).catch((e: unknown) => e)) as {
      code: string;
      message: string;
      hint: string;
    };
    expect(error.code).toBe('LEAP_SECRET_RENAME_CONFLICT');
    outputs.push(error.message, error.hint);
    const everything = [...outputs, ...lines].join('\n');
    for (const secret of [...secrets, '0123456789abcdef0123']) expect(everything).not.toContain(secret);
  });
});

describe('ensureRequiredVariables', () => {
  it('adds the two required variables double-quoted, keeps an operator value and reports it', async () => {
    const d = await deployment();
    writeFileSync(
      join(d.deployDir, 'user_extras_variables.yml'),
      `${read(d.deployDir, 'user_extras_variables.yml')}neutron_legacy_ha_tool_enabled: false\n`,
    );
    const report = await ensureRequiredVariables(d);
    expect(
      read(d.deployDir, 'user_variables.yml').endsWith(
        'keystone_token_provider: "keystone.token.providers.uuid.Provider"\nlxc_container_backing_store: "dir"\n',
      ),
    ).toBe(true);
    expect(report.changes).toEqual([
      expect.objectContaining({ action: 'added', key: 'lxc_container_backing_store' }),
      expect.objectContaining({ action: 'kept', key: 'neutron_legacy_ha_tool_enabled' }),
    ]);
    const once = snapshot(d.deployDir);
    await ensureRequiredVariables(d);
    expect(snapshot(d.deployDir)).toEqual(once);
  });
});

describe('cleanupRpcoKilo', () => {
  it('removes only the ansible_ssh_host mapping, rackspace_static_files_folder and horizon_custom_uploads', async () => {
    const d = await deployment();
    writeFileSync(
      join(d.deployDir, 'user_extras_variables.yml'),
      `${read(d.deployDir, 'user_extras_variables.yml')}# a real use of the word ansible_host stays\nmy_ansible_host_note: keep\n`,
    );
    const report = await cleanupRpcoKilo(d);
    const text = read(d.deployDir, 'user_variables.yml');
    expect(text).not.toMatch(/^ansible_host:/m);
    expect(text).not.toContain('rackspace_static_files_folder:');
    expect(text).not.toContain('horizon_custom_uploads');
    expect(text).toContain('# RPCO Kilo mapping that breaks Ansible 2.1\n\n');
    expect(text).toContain('galera_innodb_buffer_pool_size: &pool 4096M\ngalera_innodb_log_buffer_size: *pool\n');
    expect(read(d.deployDir, 'user_extras_variables.yml')).toContain('my_ansible_host_note: keep');
    expect(report.changes.map((c) => c.key)).toEqual([
      'ansible_host',
      'rackspace_static_files_folder',
      'horizon_custom_uploads',
    ]);
    const once = snapshot(d.deployDir);
    expect((await cleanupRpcoKilo(d)).changes).toEqual([]);
    expect(snapshot(d.deployDir)).toEqual(once);
  });
});

describe('cleanupFacts', () => {
  it('removes the cached fact files and treats a missing folder as nothing to do', async () => {
    const d = await deployment();
    const report = await cleanupFacts(d);
    expect(report.changes).toHaveLength(2);
    expect(existsSync(join(d.deployDir, 'ansible_facts'))).toBe(true);
    expect((await cleanupFacts({ deployDir: join(d.root, 'nowhere') })).changes).toEqual([]);
  });
});
