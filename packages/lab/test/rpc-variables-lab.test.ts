import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { makeTempDir } from '@leap/test-fixtures';
import { migrateRpcVariables } from '@leap/osa-deploy';
import { labAsset } from '../src/assets.js';
import { writeDeployDir } from '../src/deploy-dir.js';
import { Seeded } from '../src/seed.js';
import { planTopology } from '../src/topology.js';

/** The oracle: every user_*.yml in name order (the openstack-ansible wrapper's -e @file list), later files win. */
function effective(dir: string): Map<string, unknown> {
  const values = new Map<string, unknown>();
  for (const name of readdirSync(dir)
    .filter((n) => /^user_.*\.yml$/.test(n))
    .sort()) {
    for (const [key, value] of Object.entries(
      (parse(readFileSync(join(dir, name), 'utf8')) as Record<string, unknown> | null) ?? {},
    ))
      values.set(key, value);
  }
  return values;
}

describe('RPC variable migration on the Kilo lab files', () => {
  it('keeps the effective value of every key of user_variables.yml and user_extras_variables.yml but the Kilo release name', async () => {
    const deployDir = join(makeTempDir('leap-rpc-vars-'), 'openstack_deploy');
    mkdirSync(deployDir, { recursive: true });
    const seeded = new Seeded('rpc-vars');
    writeDeployDir(deployDir, planTopology(3, seeded), seeded, 'kilo');
    const keys = ['user_variables.yml', 'user_extras_variables.yml'].flatMap((f) =>
      Object.keys(parse(readFileSync(join(deployDir, f), 'utf8')) as Record<string, unknown>),
    );
    expect(keys).toEqual(
      expect.arrayContaining([
        'neutron_l2_population',
        'neutron_vxlan_enabled',
        'debug',
        'galera_innodb_buffer_pool_size',
        'maas_scheme',
      ]),
    );
    const before = effective(deployDir);
    const result = await migrateRpcVariables({
      configDir: deployDir,
      rpcDefaultsDir: labAsset('rpc/rpcd/etc/openstack_deploy'),
      backupDir: join(deployDir, '..', 'backup'),
    });
    const after = effective(deployDir);
    // The one intended change: the Kilo rpc_release would name the Newton re-deploy's venvs; r14.1.0's group_vars set it.
    expect(result.releaseKeysRemoved.map((entry) => entry.key)).toEqual(['rpc_release']);
    expect(after.has('rpc_release')).toBe(false);
    for (const key of keys.filter((k) => k !== 'rpc_release'))
      expect({ key, value: after.get(key) }).toEqual({ key, value: before.get(key) });
    expect(readdirSync(deployDir)).toEqual(
      expect.arrayContaining(['user_osa_variables_defaults.yml', 'user_rpco_variables_defaults.yml']),
    );
  });
});
