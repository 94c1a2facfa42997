import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDir } from '@leap/test-fixtures';
import { main } from '../src/main.js';

const packagesDir = fileURLToPath(new URL('../../', import.meta.url));

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (t: string) => void out.push(t), stderr: (t: string) => void err.push(t) }, out, err };
}

/** A Kilo deploy folder: the inventory package's RPC Kilo config with the golden inventory generated from it. */
function kiloDeployDir(): string {
  const dir = join(tempDir(), 'openstack_deploy');
  cpSync(join(packagesDir, 'inventory/test/fixtures/rpc-kilo'), dir, { recursive: true });
  cpSync(
    join(packagesDir, 'inventory/test/fixtures/golden/kilo-inventory.json'),
    join(dir, 'openstack_inventory.json'),
  );
  return dir;
}

describe('leap f5', () => {
  it('prints the kilo -> newton runbook as tmsh commands from the inventory', async () => {
    const dir = join(tempDir(), 'deploy');
    cpSync(join(packagesDir, 'f5/test/fixtures/kilo-inventory.json'), join(dir, 'openstack_inventory.json'));
    const { io, out } = capture();
    expect(
      await main(
        ['f5', '--deploy-dir', dir, '--ssl-domain', 'cloud.example.com', '--public-vip', '203.0.113.10'],
        io,
        false,
      ),
    ).toBe(0);
    const text = out.join('');
    expect(text).toMatch(/create ltm pool .*GALERA/);
    expect(text).toMatch(/9418/);
  });

  it('refuses an unknown format with exit 2', async () => {
    const { io, err } = capture();
    expect(await main(['f5', '--deploy-dir', tempDir(), '--format', 'xml'], io, false)).toBe(2);
    expect(err.join('')).toContain('--format tmsh|json|table');
  });

  it('names the inventory file it cannot read', async () => {
    const dir = tempDir();
    const { io, err } = capture();
    expect(await main(['f5', '--deploy-dir', dir], io, false)).toBe(2);
    expect(err.join('')).toContain(join(dir, 'openstack_inventory.json'));
  });
});

describe('leap inventory check', () => {
  it('validates a Kilo deployment and its hostnames, changing nothing', async () => {
    const dir = kiloDeployDir();
    const before = readFileSync(join(dir, 'user_variables.yml'), 'utf8');
    const { io, out } = capture();
    expect(await main(['inventory', 'check', '--deploy-dir', dir], io, false)).toBe(0);
    expect(out.join('')).toMatch(/files valid; \d+ hosts, \d+ containers/);
    expect(readFileSync(join(dir, 'user_variables.yml'), 'utf8')).toBe(before);
  });

  it('names the file and line of broken YAML', async () => {
    const dir = kiloDeployDir();
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dir, 'user_variables.yml'), 'a: [broken\n');
    const { io, err } = capture();
    expect(await main(['inventory', 'check', '--deploy-dir', dir], io, false)).not.toBe(0);
    expect(err.join('')).toContain('user_variables.yml');
  });
});
