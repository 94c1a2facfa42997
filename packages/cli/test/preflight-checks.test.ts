import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '@leap/test-fixtures';
import { loadConfig } from '../src/config.js';
import { checkConfiguration } from '../src/preflight/config-check.js';
import { checkSourceRelease } from '../src/preflight/release-check.js';
import { checkDatabaseClients } from '../src/preflight/database-clients-check.js';

describe('preflight checks', () => {
  it('fails the configuration check on a malformed file, naming the file, the line and the error code', async () => {
    const dir = tempDir();
    const deployDir = join(dir, 'openstack_deploy');
    mkdirSync(deployDir);
    writeFileSync(
      join(deployDir, 'openstack_user_config.yml'),
      '---\ncidr_networks:\n  container: 172.29.236.0/22\nused_ips: [\n',
    );
    const result = await checkConfiguration(await loadConfig({ deployDir }), {});
    expect(result).toMatchObject({
      id: 'configuration',
      status: 'failed',
      file: join(deployDir, 'openstack_user_config.yml'),
    });
    expect(result.message).toContain(`${join(deployDir, 'openstack_user_config.yml')}:`);
    expect(result.message).toContain('[LEAP_YAML_SYNTAX]');
    expect(result.hint).toMatch(/fix the YAML/);
  });

  it('names the release file when the source is not the latest of its series', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'openstack-release'), 'DISTRIB_RELEASE="r11.1.5"\n');
    const result = checkSourceRelease(await loadConfig({ releaseFile: join(dir, 'openstack-release') }), undefined);
    expect(result).toMatchObject({ status: 'failed', file: join(dir, 'openstack-release') });
  });

  it('fails when neither the MariaDB nor the MySQL dump client is installed, naming the package', async () => {
    const config = await loadConfig({});
    const result = await checkDatabaseClients(config, [tempDir()]);
    expect(result).toMatchObject({ id: 'database-clients', status: 'failed' });
    expect(result.message).toContain('mariadb-dump or mysqldump');
    expect(result.hint).toContain('apt-get install mariadb-client');
    expect(result.hint).toContain('database.tools');
  });

  it('accepts the MySQL-named clients and says which verification the backup will get', async () => {
    const dir = tempDir();
    for (const [as, real] of [
      ['mysqldump', '/usr/bin/mariadb-dump'],
      ['mysql', '/usr/bin/mariadb'],
    ])
      symlinkSync(real!, join(dir, as!));
    const result = await checkDatabaseClients(await loadConfig({}), [dir]);
    expect(result).toMatchObject({ status: 'warning' });
    expect(result.message).toContain(join(dir, 'mysqldump'));
    expect(result.message).toContain('checksums-and-parse');
  });
});
