import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { localExec } from '@leap/contract';
import { mergeRpcSecrets, parseYamlText } from '../src/index.js';
import { deployment, execa, snapshot } from './helpers.js';

const read = (dir: string, name: string) => readFileSync(join(dir, name), 'utf8');
const data = (text: string) => (parseYamlText(text, 's').data as Record<string, unknown> | null) ?? {};

// The key set of RPC-O r14.1.0's rpcd/etc/openstack_deploy/user_rpco_secrets.yml (all empty in the template).
const TEMPLATE = `---\n# template\nrpc_support_holland_password:\nkibana_password:\nfsid_uuid:\nmaas_rabbitmq_password:\nmaas_keystone_password:\nmaas_swift_accesscheck_password:\ninfluxdb_db_root_password:\ninfluxdb_db_metric_password:\n`;
// A Kilo user_extras_secrets.yml: some template keys set, one empty, keys the template does not know.
const EXTRAS = `---\n# rpc-openstack extras secrets\nmaas_api_key: 5f0c1d2e3a4b5c6d7e8f9a0b\nmaas_auth_token: 0a1b2c3d4e5f60718293a4b5c6d7e8f9\nmaas_keystone_password: 77aa88bb99cc00dd11ee22ff\nkibana_password:\nrpc_support_holland_password: 'quoted-0123456789abcdef'\nrackspace_cloud_api_key: deadbeefcafe0123456789ab\n`;

async function kiloWithExtras() {
  const d = await deployment();
  const templateFile = join(d.root, 'user_rpco_secrets.template.yml');
  writeFileSync(templateFile, TEMPLATE);
  writeFileSync(join(d.deployDir, 'user_extras_secrets.yml'), EXTRAS, { mode: 0o600 });
  return { d, templateFile };
}

describe('RPC secrets merge (upstream R2c)', () => {
  it('merges the template into the Kilo extras secrets: every old value kept, new keys generated, user_secrets.yml moved', async () => {
    const { d, templateFile } = await kiloWithExtras();
    const osaBefore = readFileSync(join(d.deployDir, 'user_secrets.yml'));
    const lines: string[] = [];
    const logger = {
      info: (m: string, x?: object) => lines.push(m + JSON.stringify(x ?? {})),
      warn: (m: string, x?: object) => lines.push(m + JSON.stringify(x ?? {})),
    };
    const report = await mergeRpcSecrets({ ...d, templateFile, logger });
    const merged = data(read(d.deployDir, 'user_rpco_secrets.yml'));
    for (const [key, value] of Object.entries(data(EXTRAS)))
      if (value !== null) expect({ key, value: merged[key] }).toEqual({ key, value });
    for (const key of Object.keys(data(TEMPLATE))) expect(String(merged[key])).toMatch(/^\S{16,}$/);
    expect(merged.fsid_uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-/);
    expect(read(d.deployDir, 'user_rpco_secrets.yml')).toContain('# rpc-openstack extras secrets');
    expect(statSync(join(d.deployDir, 'user_rpco_secrets.yml')).mode & 0o777).toBe(0o600);
    expect(existsSync(join(d.deployDir, 'user_extras_secrets.yml'))).toBe(false);
    expect(existsSync(join(d.deployDir, 'user_secrets.yml'))).toBe(false);
    expect(readFileSync(join(d.deployDir, 'user_osa_secrets.yml')).equals(osaBefore)).toBe(true);
    expect(statSync(join(d.deployDir, 'user_osa_secrets.yml')).mode & 0o777).toBe(0o600);
    expect(read(d.backupDir, 'user_extras_secrets.yml')).toBe(EXTRAS);
    expect(readFileSync(join(d.backupDir, 'user_secrets.yml')).equals(osaBefore)).toBe(true);
    expect(
      report.changes
        .filter((c) => c.action === 'added' || c.action === 'filled')
        .map((c) => c.key)
        .sort(),
    ).toEqual([
      'fsid_uuid',
      'influxdb_db_metric_password',
      'influxdb_db_root_password',
      'kibana_password',
      'maas_rabbitmq_password',
      'maas_swift_accesscheck_password',
    ]);
    // No value, old or new, in the report or the log.
    const said = JSON.stringify(report) + lines.join('\n');
    for (const value of [...Object.values(data(EXTRAS)), ...Object.values(merged)])
      if (typeof value === 'string' && value.length >= 8) expect(said).not.toContain(value);
    // A re-run changes no byte.
    const after = snapshot(d.deployDir);
    expect((await mergeRpcSecrets({ ...d, templateFile })).changes).toEqual([]);
    expect(snapshot(d.deployDir)).toEqual(after);
  });

  it('resumes after a crash between the copy and the removal of user_secrets.yml, and keeps an operator user_rpco_secrets.yml', async () => {
    const { d, templateFile } = await kiloWithExtras();
    writeFileSync(join(d.deployDir, 'user_osa_secrets.yml'), readFileSync(join(d.deployDir, 'user_secrets.yml')), {
      mode: 0o600,
    });
    writeFileSync(
      join(d.deployDir, 'user_rpco_secrets.yml'),
      '---\nmaas_keystone_password: 77aa88bb99cc00dd11ee22ff\nsite_only_secret: abcdef0123456789\n',
      { mode: 0o600 },
    );
    await mergeRpcSecrets({ ...d, templateFile });
    const merged = data(read(d.deployDir, 'user_rpco_secrets.yml'));
    expect(merged.site_only_secret).toBe('abcdef0123456789');
    expect(merged.maas_api_key).toBe('5f0c1d2e3a4b5c6d7e8f9a0b');
    expect(existsSync(join(d.deployDir, 'user_secrets.yml'))).toBe(false);
    expect(existsSync(join(d.deployDir, 'user_osa_secrets.yml'))).toBe(true);
  });

  it('refuses, touching nothing, when the two RPC secrets files disagree or both OSA secrets files exist and differ', async () => {
    const { d, templateFile } = await kiloWithExtras();
    writeFileSync(join(d.deployDir, 'user_rpco_secrets.yml'), '---\nmaas_api_key: another-value-0000\n', {
      mode: 0o600,
    });
    const before = snapshot(d.root);
    const error = await mergeRpcSecrets({ ...d, templateFile }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'LEAP_RPC_SECRETS_NOT_KEPT',
      file: join(d.deployDir, 'user_extras_secrets.yml'),
    });
    expect(String((error as Error).message)).not.toContain('5f0c1d2e3a4b5c6d7e8f9a0b');
    expect(snapshot(d.root)).toEqual(before);

    const e2 = await kiloWithExtras();
    writeFileSync(join(e2.d.deployDir, 'user_osa_secrets.yml'), '---\ngalera_root_password: other\n', { mode: 0o600 });
    await expect(mergeRpcSecrets({ ...e2.d, templateFile: e2.templateFile })).rejects.toMatchObject({
      code: 'LEAP_OSA_SECRETS_BOTH',
    });
    expect(existsSync(join(e2.d.deployDir, 'user_secrets.yml'))).toBe(true);
  });

  it('keeps vault-encrypted secrets encrypted', async () => {
    const { d, templateFile } = await kiloWithExtras();
    const passwordFile = join(d.root, 'vault-pass');
    writeFileSync(passwordFile, 'lab-vault-password\n', { mode: 0o600 });
    const vault = (action: string, input: string) =>
      execa('ansible-vault', [action, '--vault-password-file', passwordFile, '--output', '-', '-'], { input });
    writeFileSync(join(d.deployDir, 'user_extras_secrets.yml'), `${(await vault('encrypt', EXTRAS)).stdout}\n`, {
      mode: 0o600,
    });
    await expect(mergeRpcSecrets({ ...d, templateFile })).rejects.toMatchObject({
      code: 'LEAP_VAULT_PASSWORD_REQUIRED',
    });
    await mergeRpcSecrets({ ...d, templateFile, vault: { exec: localExec, passwordFile } });
    const written = read(d.deployDir, 'user_rpco_secrets.yml');
    expect(written.startsWith('$ANSIBLE_VAULT;')).toBe(true);
    expect(written).not.toContain('5f0c1d2e3a4b5c6d7e8f9a0b');
    expect(data((await vault('decrypt', written)).stdout).maas_api_key).toBe('5f0c1d2e3a4b5c6d7e8f9a0b');
  });
});
