import { describe, expect, it } from 'vitest';
import { formatPlan, planF5Upgrade } from '../src/index.js';
import { commands, find, has, includesRun, inventory, lineIndex } from './helpers.js';

// The leapfrog guide's F5 list (rpc-upgrades leapfrog.rst, RPCO-14.1 README), checked on the
// reference §2.8 inventory: the Kilo F5 is what rpc-openstack r11 generated for it.
const plan = planF5Upgrade(inventory('newton'), { sslDomain: 'cloud.example.com', configSyncGroup: 'SYNC-FAILOVER' });
const runbook = formatPlan(plan, 'tmsh');
const [pre = '', post = ''] = runbook.split('######## POST-MAINTENANCE');
const preCmds = commands(pre);
const postCmds = commands(post);
const changedCmds = commands(post.split('# --- monitor switch-back')[0] ?? '');
const all = commands(runbook);

const galera = ['/RPC/RPC_NODE_infra1_galera_container-fb6c2d6a', '/RPC/RPC_NODE_infra2_galera_container-46555b08'];
const repo = ['/RPC/RPC_NODE_infra1_repo_container-8f2132e4', '/RPC/RPC_NODE_infra2_repo_container-61388380'];
const consoles = [
  '/RPC/RPC_NODE_infra1_nova_console_container-db6a5c6d',
  '/RPC/RPC_NODE_infra2_nova_console_container-6b6295bf',
];
const horizon = ['/RPC/RPC_NODE_infra1_horizon_container-c4ae7906', '/RPC/RPC_NODE_infra2_horizon_container-3da234ba'];

describe('the guide: ADD monitors', () => {
  it('adds the git repo monitor on 9418', () => {
    expect(
      includesRun(find(preCmds, 'create ltm monitor tcp', '/RPC/RPC_MON_TCP_REPO_GIT'), 'destination *:9418'),
    ).toBe(true);
  });
  it('adds the repo cache monitor on 3142', () => {
    const tokens = find(preCmds, 'create ltm monitor http', '/RPC/RPC_MON_HTTP_REPO_CACHE');
    expect(includesRun(tokens, 'destination *:3142')).toBe(true);
    expect(tokens.join(' ')).toContain('/acng-report.html');
  });
  it('adds the noVNC console monitor on 6080', () => {
    const tokens = find(preCmds, 'create ltm monitor http', '/RPC/RPC_MON_HTTP_NOVA_NOVNC_CONSOLE');
    expect(includesRun(tokens, 'destination *:6080')).toBe(true);
    expect(tokens.join(' ')).toContain('/vnc_auto.html');
  });
  it('gives horizon an HTTP monitor on 80 (Kilo has one, so it is changed to /auth/login/ and 200 OK) that the 443 pool then uses', () => {
    const tokens = find(postCmds, 'modify ltm monitor http', '/RPC/RPC_MON_HTTP_HORIZON');
    expect(tokens.join(' ')).toContain('HEAD /auth/login/');
    expect(includesRun(tokens, 'recv "200 OK" }')).toBe(true);
    const monitor = plan.to.config.objects.find((o) => o.name === '/RPC/RPC_MON_HTTP_HORIZON');
    expect(monitor).toMatchObject({ type: 'http', destination: '*:80' });
    expect(
      includesRun(find(changedCmds, 'modify ltm pool', '/RPC/RPC_POOL_HORIZON_SSL'), 'members replace-all-with'),
    ).toBe(true);
    expect(
      postCmds.some(
        (t) => t.join(' ') === 'modify ltm pool /RPC/RPC_POOL_HORIZON_SSL { monitor /RPC/RPC_MON_HTTP_HORIZON }',
      ),
    ).toBe(true);
  });
});

describe('the guide: ADD pools', () => {
  it('adds a galera pool on 3306 (the read pool) with both galera containers and the galera monitor', () => {
    const tokens = find(preCmds, 'create ltm pool', '/RPC/RPC_POOL_GALERA_READ');
    for (const node of galera) expect(tokens).toContain(`${node}:3306`);
    expect(includesRun(tokens, 'monitor /RPC/RPC_MON_GALERA')).toBe(true);
    expect(tokens).not.toContain('priority-group');
  });
  it('adds the git repo pool on 9418 with the repo containers', () => {
    const tokens = find(preCmds, 'create ltm pool', '/RPC/RPC_POOL_REPO_GIT');
    for (const node of repo) expect(tokens).toContain(`${node}:9418`);
    expect(includesRun(tokens, 'monitor /RPC/RPC_MON_TCP_REPO_GIT')).toBe(true);
  });
  it('adds the repo cache pool on 3142, active/standby', () => {
    const tokens = find(preCmds, 'create ltm pool', '/RPC/RPC_POOL_REPO_CACHE');
    expect(includesRun(tokens, `${repo[0]}:3142 { priority-group 100 } ${repo[1]}:3142 { priority-group 95 }`)).toBe(
      true,
    );
    expect(includesRun(tokens, 'min-active-members 1')).toBe(true);
    expect(includesRun(tokens, 'monitor /RPC/RPC_MON_HTTP_REPO_CACHE')).toBe(true);
  });
  it('adds the noVNC pool on 6080 with the console containers', () => {
    const tokens = find(preCmds, 'create ltm pool', '/RPC/RPC_POOL_NOVA_NOVNC_CONSOLE');
    for (const node of consoles) expect(tokens).toContain(`${node}:6080`);
    expect(includesRun(tokens, 'monitor /RPC/RPC_MON_HTTP_NOVA_NOVNC_CONSOLE')).toBe(true);
  });
});

describe('the guide: MODIFY pools', () => {
  it('updates the horizon pool for 443: SSL ends on the F5, so its members move to 80', () => {
    const tokens = find(changedCmds, 'modify ltm pool', '/RPC/RPC_POOL_HORIZON_SSL');
    expect(includesRun(tokens, `members replace-all-with { ${horizon[0]}:80 ${horizon[1]}:80 }`)).toBe(true);
  });
  it('forwards port 80 to 443 with an HTTP virtual server that uses the built-in _sys_https_redirect iRule', () => {
    const tokens = find(preCmds, 'create ltm virtual', '/RPC/RPC_PUB_VS_HORIZON_SSL_REDIRECT');
    expect(includesRun(tokens, 'destination /RPC/203.0.113.10:80')).toBe(true);
    expect(includesRun(tokens, 'rules { /Common/_sys_https_redirect }')).toBe(true);
    expect(tokens).toContain('/Common/http');
  });
});

describe('the guide: ADD virtual servers', () => {
  it.each([
    ['/RPC/RPC_VS_GALERA_READ', '/RPC/172.29.236.10:3307', '/RPC/RPC_POOL_GALERA_READ'],
    ['/RPC/RPC_VS_NOVA_NOVNC_CONSOLE', '/RPC/172.29.236.10:6080', '/RPC/RPC_POOL_NOVA_NOVNC_CONSOLE'],
    ['/RPC/RPC_PUB_SSL_VS_NOVA_NOVNC_CONSOLE', '/RPC/203.0.113.10:6080', '/RPC/RPC_POOL_NOVA_NOVNC_CONSOLE'],
    ['/RPC/RPC_VS_REPO_GIT', '/RPC/172.29.236.10:9418', '/RPC/RPC_POOL_REPO_GIT'],
    ['/RPC/RPC_VS_REPO_CACHE', '/RPC/172.29.236.10:3142', '/RPC/RPC_POOL_REPO_CACHE'],
  ])('adds %s on %s to %s', (name, destination, pool) => {
    const tokens = find(preCmds, 'create ltm virtual', name);
    expect(includesRun(tokens, `destination ${destination}`)).toBe(true);
    expect(includesRun(tokens, `pool ${pool}`)).toBe(true);
    expect(includesRun(tokens, 'source-address-translation { pool /RPC/RPC_SNATPOOL type snat }')).toBe(true);
  });
  it('mirrors the galera read VS and terminates SSL on the public noVNC VS', () => {
    expect(includesRun(find(preCmds, 'create ltm virtual', '/RPC/RPC_VS_GALERA_READ'), 'mirror enabled')).toBe(true);
    expect(
      includesRun(
        find(preCmds, 'create ltm virtual', '/RPC/RPC_PUB_SSL_VS_NOVA_NOVNC_CONSOLE'),
        '/RPC/RPC_PROF_SSL_cloud.example.com { context clientside }',
      ),
    ).toBe(true);
  });
});

describe('the guide: MODIFY virtual servers', () => {
  it('turns on mirroring on the galera VS, and nothing else', () => {
    expect(find(postCmds, 'modify ltm virtual', '/RPC/RPC_VS_GALERA').join(' ')).toBe(
      'modify ltm virtual /RPC/RPC_VS_GALERA { mirror enabled }',
    );
  });
  it('gives both horizon 443 VSs the SSL certificate (client-ssl profile) instead of re-encryption', () => {
    for (const name of ['/RPC/RPC_VS_HORIZON_SSL', '/RPC/RPC_PUB_SSL_VS_HORIZON_SSL']) {
      const tokens = find(postCmds, 'modify ltm virtual', name);
      expect(
        includesRun(
          tokens,
          'profiles replace-all-with { /Common/tcp { } /RPC/RPC_X-FORWARDED-PROTO { } /RPC/RPC_PROF_SSL_cloud.example.com { context clientside } }',
        ),
      ).toBe(true);
      expect(tokens).not.toContain('/RPC/RPC_PROF_SSL_SERVER');
    }
  });
});

describe('the runbook: two phases', () => {
  it('starts with a UCS backup and only adds in the pre-maintenance phase', () => {
    expect(preCmds[0]?.join(' ')).toBe('save sys ucs /var/local/ucs/leap-kilo-to-newton.ucs');
    const verbs = new Set(preCmds.map((t) => t[0]));
    expect([...verbs].sort()).toEqual(['create', 'modify', 'run', 'save']);
    const modifies = preCmds.filter((t) => t[0] === 'modify').map((t) => t.join(' '));
    expect(
      modifies.every(
        (line) => line.includes('{ monitor /Common/tcp }') || line.startsWith('modify ltm snat-translation'),
      ),
    ).toBe(true);
  });

  it('puts temporary TCP monitors on the horizon pools whose monitor changes, and switches them back afterwards', () => {
    expect(plan.diff.monitorSwaps).toEqual([
      { pool: '/RPC/RPC_POOL_HORIZON', monitor: '/RPC/RPC_MON_HTTP_HORIZON' },
      { pool: '/RPC/RPC_POOL_HORIZON_SSL', monitor: '/RPC/RPC_MON_HTTP_HORIZON' },
    ]);
    expect(
      lineIndex(runbook, (l) => l === 'modify ltm pool /RPC/RPC_POOL_HORIZON { monitor /Common/tcp }'),
    ).toBeLessThan(
      lineIndex(runbook, (l) =>
        l.includes('modify ltm pool /RPC/RPC_POOL_HORIZON { monitor /RPC/RPC_MON_HTTP_HORIZON }'),
      ),
    );
  });

  it('deletes the Kilo-only objects in dependency order: virtual servers, then pools, then monitors', () => {
    const at = (line: string): number => lineIndex(runbook, (l) => l === line);
    const vs = at('delete ltm virtual /RPC/RPC_VS_NOVA_CONSOLE');
    const pool = at('delete ltm pool /RPC/RPC_POOL_NOVA_CONSOLE');
    const monitor = at('delete ltm monitor https /RPC/RPC_MON_HTTPS_NOVA_SPICE_CONSOLE');
    expect(vs).toBeGreaterThan(0);
    expect(vs).toBeLessThan(pool);
    expect(pool).toBeLessThan(monitor);
  });

  it('creates the spice console VSs only after the Kilo console VSs free their addresses', () => {
    const deleted = lineIndex(runbook, (l) => l === 'delete ltm virtual /RPC/RPC_PUB_VS_NOVA_CONSOLE');
    const created = lineIndex(runbook, (l) =>
      l.startsWith('create ltm virtual /RPC/RPC_PUB_SSL_VS_NOVA_SPICE_CONSOLE '),
    );
    expect(deleted).toBeGreaterThan(0);
    expect(created).toBeGreaterThan(deleted);
    expect(plan.diff.changes.find((c) => c.name === '/RPC/RPC_PUB_SSL_VS_NOVA_SPICE_CONSOLE')?.replaces).toBe(
      '/RPC/RPC_PUB_VS_NOVA_CONSOLE',
    );
  });

  it('ends each phase with save sys config and the configured config-sync', () => {
    const lines = runbook.trim().split('\n');
    expect(lines.slice(-2)).toEqual(['save sys config', 'run cm config-sync to-group SYNC-FAILOVER']);
    expect(pre.trim().split('\n').slice(-2)).toEqual(['save sys config', 'run cm config-sync to-group SYNC-FAILOVER']);
  });

  it('emits no config-sync when no device group is configured', () => {
    const text = formatPlan(planF5Upgrade(inventory('newton'), { sslDomain: 'cloud.example.com' }), 'tmsh');
    expect(text).not.toContain('config-sync');
    expect(text.trim().endsWith('save sys config')).toBe(true);
  });
});

describe('the runbook does not repeat the k2n script bugs', () => {
  it('uses full object paths for every object it names', () => {
    for (const tokens of all) {
      if (tokens[0] === 'save' || tokens[0] === 'run') continue;
      const name =
        tokens[0] === 'create' || tokens[0] === 'delete' || tokens[0] === 'modify'
          ? tokens.find((t, i) => i >= 3 && t.startsWith('/'))
          : undefined;
      expect(name, tokens.join(' ')).toMatch(/^\/RPC\//);
    }
    expect(runbook).not.toMatch(/\{ monitor RPC/);
    expect(runbook).not.toContain('//RPC//');
  });

  it('removes the objects rpc-openstack Kilo named NOVA_CONSOLE, which k2n left behind', () => {
    for (const line of [
      'delete ltm virtual /RPC/RPC_VS_NOVA_CONSOLE',
      'delete ltm virtual /RPC/RPC_PUB_VS_NOVA_CONSOLE',
      'delete ltm pool /RPC/RPC_POOL_NOVA_CONSOLE',
    ]) {
      expect(runbook.split('\n')).toContain(line);
    }
  });

  it('never writes RPC_PROF_SSL_None and never re-creates nodes the device already has', () => {
    expect(runbook).not.toContain('RPC_PROF_SSL_None');
    expect(has(all, 'create ltm node', '/RPC/RPC_NODE_infra1_galera_container-fb6c2d6a')).toBe(false);
  });

  it('restarts the galera priority groups at 100', () => {
    const pool = plan.to.config.objects.find((o) => o.name === '/RPC/RPC_POOL_GALERA');
    expect(pool).toMatchObject({ members: [{ priorityGroup: 100 }, { priorityGroup: 95 }] });
  });
});

describe('the other output formats', () => {
  it('summarises added, modified and removed objects per type in a table', () => {
    const table = formatPlan(plan, 'table');
    expect(table).toMatch(/^monitor\s+5\s+3\s+3$/m);
    expect(table).toMatch(/^virtual\s+8\s+3\s+2$/m);
    expect(table).toContain('+ pool /RPC/RPC_POOL_NOVA_SPICE_CONSOLE (replaces /RPC/RPC_POOL_NOVA_CONSOLE)');
  });

  it('gives the changes and the target objects as JSON', () => {
    const json = JSON.parse(formatPlan(plan, 'json')) as {
      from: string;
      to: string;
      changes: { action: string; name: string; phase: string }[];
      target: unknown[];
    };
    expect(json).toMatchObject({ from: 'kilo', to: 'newton' });
    expect(json.changes).toContainEqual(
      expect.objectContaining({ action: 'add', name: '/RPC/RPC_VS_GALERA_READ', phase: 'pre' }),
    );
    expect(json.target).toHaveLength(plan.to.config.objects.length);
  });

  it('rejects an unknown format', () => {
    expect(() => formatPlan(plan, 'yaml' as 'json')).toThrow(
      expect.objectContaining({ code: 'LEAP_F5_FORMAT_UNKNOWN' }),
    );
  });
});
