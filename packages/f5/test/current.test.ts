import { describe, expect, it } from 'vitest';
import {
  diffConfigs,
  emitConfig,
  emitRunbook,
  formatPlan,
  generateConfig,
  parseTmsh,
  planF5Upgrade,
} from '../src/index.js';
import { commands, fixtureText, has, inventory } from './helpers.js';

const options = { sslDomain: 'cloud.example.com' };

describe('diff against the device configuration (--current)', () => {
  const plan = planF5Upgrade(inventory('newton'), {
    ...options,
    current: { text: fixtureText('device-partly-newton.conf'), file: 'device-partly-newton.conf' },
  });
  const runbook = formatPlan(plan, 'tmsh');
  const all = commands(runbook);

  it('does not create the Newton objects the device already has', () => {
    expect(plan.currentSource).toBe('device');
    expect(has(all, 'create ltm monitor tcp', '/RPC/RPC_MON_TCP_REPO_GIT')).toBe(false);
    expect(has(all, 'create ltm monitor http', '/RPC/RPC_MON_HTTP_REPO_CACHE')).toBe(false);
    expect(has(all, 'create ltm pool', '/RPC/RPC_POOL_REPO_GIT')).toBe(false);
    expect(has(all, 'create ltm virtual', '/RPC/RPC_VS_REPO_GIT')).toBe(false);
    expect(has(all, 'create ltm node', '/RPC/RPC_NODE_infra1_galera_container-fb6c2d6a')).toBe(false);
    expect(has(all, 'modify ltm pool', '/RPC/RPC_POOL_GALERA')).toBe(false);
  });

  it('creates only what is missing and changes only the fields that differ', () => {
    expect(has(all, 'create ltm pool', '/RPC/RPC_POOL_REPO_CACHE')).toBe(true);
    expect(has(all, 'create ltm virtual', '/RPC/RPC_VS_REPO_CACHE')).toBe(true);
    expect(has(all, 'create ltm node', '/RPC/RPC_NODE_infra1_nova_console_container-db6a5c6d')).toBe(true);
    expect(runbook.split('\n')).toContain('modify ltm virtual /RPC/RPC_VS_GALERA { mirror enabled }');
    expect(runbook.split('\n')).toContain('modify ltm snat-translation /RPC/172.29.236.15 { ip-idle-timeout 3600 }');
    const galeraRead = plan.diff.changes.filter((c) => c.name.includes('GALERA'));
    expect(galeraRead.map((c) => `${c.action} ${c.name}`).sort()).toEqual([
      'add /RPC/RPC_POOL_GALERA_READ',
      'add /RPC/RPC_VS_GALERA_READ',
      'modify /RPC/RPC_VS_GALERA',
    ]);
  });

  it('never deletes objects leap did not create, and does not take away what they use', () => {
    expect(plan.diff.kept.map((k) => k.name).sort()).toEqual([
      '/RPC/OPS_GRAFANA',
      '/RPC/OPS_GRAFANA_POOL',
      '/RPC/OPS_MAINTENANCE_PAGE',
      '/RPC/ops-grafana',
    ]);
    expect(all.some((tokens) => tokens[0] === 'delete')).toBe(false);
  });

  it('diffs a device that already matches the target to nothing', () => {
    const target = generateConfig('newton', inventory('newton'), options).config;
    const device = parseTmsh(emitConfig(target));
    const diff = diffConfigs(device, target, { known: generateConfig('kilo', inventory('newton'), options).config });
    expect(diff.changes).toEqual([]);
    expect(diff.monitorSwaps).toEqual([]);
    expect(emitRunbook(diff)).toContain('nothing to change');
  });

  it('matches a historical name to its successor and still removes the old object', () => {
    const target = generateConfig('newton', inventory('newton'), options).config;
    const device = parseTmsh(
      [
        'ltm pool /RPC/RPC_POOL_NOVA_CONSOLE { members { /RPC/RPC_NODE_infra1_nova_console_container-db6a5c6d:6082 { } } }',
        'ltm node /RPC/RPC_NODE_infra1_nova_console_container-db6a5c6d { address 172.29.237.174 }',
      ].join('\n'),
    );
    // The known set is empty: only the historical identity makes the old pool deletable.
    const diff = diffConfigs(device, target, { known: { objects: [] } });
    expect(diff.changes.find((c) => c.name === '/RPC/RPC_POOL_NOVA_SPICE_CONSOLE')).toMatchObject({
      action: 'add',
      replaces: '/RPC/RPC_POOL_NOVA_CONSOLE',
    });
    expect(diff.changes.find((c) => c.name === '/RPC/RPC_POOL_NOVA_CONSOLE')).toMatchObject({ action: 'remove' });
  });

  it('keeps a leap object that an operator object still uses, with a warning', () => {
    const target = generateConfig('newton', inventory('newton'), options).config;
    const kilo = generateConfig('kilo', inventory('newton'), options).config;
    const device = parseTmsh(
      [
        'ltm monitor tcp /RPC/RPC_MON_TCP_NOVA_API_EC2 { defaults-from /Common/tcp destination *:8773 }',
        'ltm pool /RPC/OPS_EC2_COMPAT { monitor /RPC/RPC_MON_TCP_NOVA_API_EC2 }',
      ].join('\n'),
    );
    const diff = diffConfigs(device, target, { known: kilo });
    expect(diff.changes.some((c) => c.action === 'remove' && c.name === '/RPC/RPC_MON_TCP_NOVA_API_EC2')).toBe(false);
    expect(diff.warnings.join('\n')).toContain('/RPC/OPS_EC2_COMPAT still uses it');
  });

  it('warns when a new virtual server needs an address an operator virtual server holds', () => {
    const target = generateConfig('newton', inventory('newton'), options).config;
    const device = parseTmsh('ltm virtual /RPC/OPS_GIT_MIRROR { destination /RPC/172.29.236.10:9418 ip-protocol tcp }');
    const diff = diffConfigs(device, target, { known: { objects: [] } });
    expect(diff.warnings.join('\n')).toMatch(
      /RPC_VS_REPO_GIT needs 172\.29\.236\.10:9418, which \/RPC\/OPS_GIT_MIRROR/,
    );
  });
});

describe('diff limits', () => {
  it('warns instead of modifying a node whose address changed, which tmsh cannot do in place', () => {
    const target = generateConfig('newton', inventory('newton'), options).config;
    const device = parseTmsh('ltm node /RPC/RPC_NODE_infra1_galera_container-fb6c2d6a { address 172.29.239.99 }');
    const diff = diffConfigs(device, target, { known: { objects: [] } });
    expect(diff.changes.some((c) => c.name === '/RPC/RPC_NODE_infra1_galera_container-fb6c2d6a')).toBe(false);
    expect(diff.warnings.join('\n')).toContain('172.29.239.99 on the device but 172.29.239.69 in the inventory');
  });

  it('warns instead of modifying a monitor of another type under the same name', () => {
    const target = generateConfig('newton', inventory('newton'), options).config;
    const device = parseTmsh(
      'ltm monitor tcp /RPC/RPC_MON_HTTP_HORIZON { defaults-from /Common/tcp destination *:80 }',
    );
    const diff = diffConfigs(device, target, { known: { objects: [] } });
    expect(diff.changes.some((c) => c.name === '/RPC/RPC_MON_HTTP_HORIZON')).toBe(false);
    expect(diff.warnings.join('\n')).toContain('cannot change the type in place');
  });
});
