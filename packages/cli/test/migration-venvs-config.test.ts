import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '@leap/test-fixtures';
import { loadConfig } from '../src/config.js';
import { migrationVenv, venvBinOf } from '../src/plan/migration-venvs.js';

const SHA = 'ab'.repeat(32);

async function configWith(yaml: string) {
  const dir = tempDir();
  const file = join(dir, 'leap.yaml');
  writeFileSync(file, yaml);
  return { dir, file, load: () => loadConfig({ config: file }) };
}

describe('migrationVenvs in leap.yaml', () => {
  it("resolves each release's venv: upstream's URL by default, a URL, a file beside leap.yaml, or a folder", async () => {
    const { dir, load } = await configWith(
      [
        'migrationVenvs:',
        `  liberty: { sha256: ${SHA} }`,
        `  mitaka: { sha256: ${SHA}, url: "https://mirror.example/m.tgz", path: /srv/venvs/mitaka }`,
        `  newton: { sha256: ${SHA}, file: venvs/n.tgz }`,
        '  kilo: /openstack/venvs/nova-11.2.17',
        'migrationVenvsBaseUrl: https://mirror.example/bundles/',
        '',
      ].join('\n'),
    );
    const config = await load();
    expect(migrationVenv(config, 'liberty')).toEqual({
      release: 'liberty',
      path: '/opt/openstack-ansible-liberty-eol',
      tarball: { sha256: SHA, url: 'https://mirror.example/bundles/openstack-ansible-liberty-eol.tgz' },
    });
    expect(migrationVenv(config, 'mitaka')).toEqual({
      release: 'mitaka',
      path: '/srv/venvs/mitaka',
      tarball: { sha256: SHA, url: 'https://mirror.example/m.tgz' },
    });
    expect(migrationVenv(config, 'newton').tarball).toEqual({ sha256: SHA, file: join(dir, 'venvs/n.tgz') });
    expect(venvBinOf(config, 'kilo')).toBe('/openstack/venvs/nova-11.2.17/bin');
    expect(venvBinOf(config, 'newton')).toBe('/opt/openstack-ansible-newton-eol/bin');
  });

  it('keeps the defaults without an entry: the folders upstream unpacks to, Kilo in /usr/local', async () => {
    const config = await loadConfig({});
    expect(migrationVenv(config, 'mitaka')).toEqual({ release: 'mitaka', path: '/opt/openstack-ansible-mitaka-eol' });
    expect(venvBinOf(config, 'kilo')).toBe('/usr/local/bin');
  });

  it.each([
    ['a sha256 that is not 64 hex digits', `liberty: { sha256: abc }`, 'must be 64 hexadecimal digits'],
    ['a sha256 YAML reads as a number', `liberty: { sha256: ${'1'.repeat(64)} }`, 'must be a quoted string'],
    ['a venv that is neither a folder nor a tarball', 'newton: 3', 'expected string or object'],
    ['both url and file', `liberty: { sha256: ${SHA}, url: "https://x/y.tgz", file: /y.tgz }`, 'url or file, not both'],
    ['a tarball for Kilo', `kilo: { sha256: ${SHA} }`, 'kilo takes a folder'],
    ['a relative folder on the hosts', 'newton: opt/venv', 'absolute path on the hosts'],
  ])('refuses %s, naming the file', async (_what, entry, message) => {
    const { file, load } = await configWith(`migrationVenvs:\n  ${entry}\n`);
    await expect(load()).rejects.toMatchObject({
      code: 'LEAP_CLI_CONFIG_INVALID',
      file,
      message: expect.stringContaining(message),
    });
  });
});
