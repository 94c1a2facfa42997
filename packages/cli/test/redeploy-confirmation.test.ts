import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTempDir } from '@leap/test-fixtures';
import { MarkerStore, journalPath, openJournal, readJournal, runPlan } from '@leap/markers';
import type { LeapConfig } from '../src/config.js';
import { redeployPreparationSteps } from '../src/plan/sections/redeploy.js';
import { leapPaths, type LeapRuntime } from '../src/plan/runtime.js';

/** A Kilo deploy folder and an r14.1.0 RPC-O checkout with the files the two migration steps read. */
function setup() {
  const root = makeTempDir('leap-confirm2-');
  const deployDir = join(root, 'etc', 'openstack_deploy');
  const rpcoDir = join(root, 'rpc-openstack');
  const rpcd = join(rpcoDir, 'rpcd', 'etc', 'openstack_deploy');
  mkdirSync(deployDir, { recursive: true });
  mkdirSync(rpcd, { recursive: true });
  writeFileSync(
    join(rpcd, 'user_osa_variables_defaults.yml'),
    '---\nnova_cpu_allocation_ratio: 2.0\nhaproxy_use_keepalived: true\n',
  );
  writeFileSync(join(rpcd, 'user_rpco_variables_defaults.yml'), '---\nmaas_scheme: https\n');
  writeFileSync(join(rpcd, 'user_rpco_secrets.yml'), '---\nmaas_keystone_password:\ninfluxdb_db_root_password:\n');
  writeFileSync(
    join(deployDir, 'user_variables.yml'),
    '---\nnova_cpu_allocation_ratio: 8.0\nhaproxy_use_keepalived: true\n',
  );
  writeFileSync(join(deployDir, 'user_extras_variables.yml'), '---\nmaas_scheme: http\n');
  writeFileSync(join(deployDir, 'user_secrets.yml'), '---\ngalera_root_password: 0123456789abcdef\n', { mode: 0o600 });
  writeFileSync(join(deployDir, 'user_extras_secrets.yml'), '---\nmaas_keystone_password: fedcba9876543210\n', {
    mode: 0o600,
  });
  const config = {
    deployDir,
    rpcoDir,
    markerDir: join(root, 'markers'),
    backupDir: join(root, 'backup'),
    redeploy: { swift: true },
  } as unknown as LeapConfig;
  const shown: string[] = [];
  const rt = {
    config,
    paths: leapPaths(config),
    io: { stdout: () => undefined, stderr: () => undefined },
    confirmations: {
      source: async () => undefined,
      redeploy: async (summary: string) => {
        shown.push(summary);
      },
    },
  } as unknown as LeapRuntime;
  return { rt, shown, config };
}

describe('confirmation 2', () => {
  it('shows the RPC variable conflicts and the secrets keys added, never a value', async () => {
    const { rt, shown, config } = setup();
    const all = await redeployPreparationSteps(rt);
    // The configuration steps before confirmation 2; newton/hosts-alias reaches the hosts, which this fixture has not.
    const steps = all
      .slice(0, all.findIndex((s) => s.id === 'redeploy/confirm') + 1)
      .filter((s) => s.id !== 'newton/hosts-alias');
    const store = new MarkerStore(config.markerDir);
    await store.ensureDir();
    const journal = openJournal(config.markerDir);
    const report = await runPlan({ target: 'r14.1.0', detectSource: () => 'kilo', steps }, { store, journal });
    journal.close();
    expect(report.steps.map((s) => s.outcome)).toEqual(steps.map(() => 'ran'));
    const summary = shown.join('\n');
    expect(summary).toMatch(/nova_cpu_allocation_ratio.*user_osa_variables_overrides\.yml/);
    expect(summary).toMatch(/maas_scheme.*user_rpco_variables_overrides\.yml/);
    expect(summary).toMatch(/added influxdb_db_root_password \(user_rpco_secrets\.yml\)/);
    expect(summary).not.toMatch(/added maas_keystone_password/);
    for (const value of ['0123456789abcdef', 'fedcba9876543210', '8.0', 'http\n']) expect(summary).not.toContain(value);
    // The review is kept in the journal, so the report shows what was confirmed after any resume.
    const { entries } = await readJournal(journalPath(config.markerDir));
    expect(entries.filter((e) => e.kind === 'review').map((e) => e.text)).toEqual([summary]);
  });
});
