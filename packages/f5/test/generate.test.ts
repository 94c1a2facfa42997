import { describe, expect, it } from 'vitest';
import { F5Error, generateConfig, type F5Object, type Pool, type VirtualServer } from '../src/index.js';
import { inventory } from './helpers.js';

const SSL = { sslDomain: 'cloud.example.com' };

function get<K extends F5Object['kind']>(objects: F5Object[], kind: K, name: string): Extract<F5Object, { kind: K }> {
  const found = objects.find((object) => object.kind === kind && object.name === name);
  if (found === undefined) throw new Error(`no ${kind} ${name}`);
  return found as Extract<F5Object, { kind: K }>;
}

function catchError(run: () => unknown): F5Error {
  try {
    run();
  } catch (error) {
    if (error instanceof F5Error) return error;
    throw error;
  }
  throw new Error('expected an F5Error');
}

describe('generateConfig newton on the §2.8 inventory', () => {
  const { config, warnings } = generateConfig('newton', inventory('newton'), SSL);
  const objects = config.objects;

  it('makes galera single-writer: priority groups 100 and 95 in group order and min-active-members 1', () => {
    const pool = get(objects, 'pool', '/RPC/RPC_POOL_GALERA');
    expect(pool.members).toEqual([
      { node: '/RPC/RPC_NODE_infra1_galera_container-fb6c2d6a', port: 3306, priorityGroup: 100 },
      { node: '/RPC/RPC_NODE_infra2_galera_container-46555b08', port: 3306, priorityGroup: 95 },
    ]);
    expect(pool).toMatchObject({
      minActiveMembers: 1,
      monitor: '/RPC/RPC_MON_GALERA',
      loadBalancingMode: 'least-connections-node',
      serviceDownAction: 'reset',
      slowRampTime: 0,
    });
  });

  it('reaches the repo containers through repo_all → pkg_repo for the repo cache, active/standby on 3142', () => {
    const pool = get(objects, 'pool', '/RPC/RPC_POOL_REPO_CACHE');
    expect(pool.members.map((m) => [m.node, m.port, m.priorityGroup])).toEqual([
      ['/RPC/RPC_NODE_infra1_repo_container-8f2132e4', 3142, 100],
      ['/RPC/RPC_NODE_infra2_repo_container-61388380', 3142, 95],
    ]);
  });

  it('terminates horizon SSL on the F5: members on 80, the HTTP monitor, SSL on both 443 virtual servers and a redirect on 80', () => {
    const pool = get(objects, 'pool', '/RPC/RPC_POOL_HORIZON_SSL');
    expect(pool.members.map((m) => m.port)).toEqual([80, 80]);
    expect(pool.monitor).toBe('/RPC/RPC_MON_HTTP_HORIZON');
    for (const name of ['/RPC/RPC_VS_HORIZON_SSL', '/RPC/RPC_PUB_SSL_VS_HORIZON_SSL']) {
      expect(get(objects, 'virtual', name).profiles).toEqual([
        { name: '/Common/tcp' },
        { name: '/RPC/RPC_X-FORWARDED-PROTO' },
        { name: '/RPC/RPC_PROF_SSL_cloud.example.com', context: 'clientside' },
      ]);
    }
    const redirect = get(objects, 'virtual', '/RPC/RPC_PUB_VS_HORIZON_SSL_REDIRECT');
    expect(redirect).toMatchObject({
      destination: '203.0.113.10:80',
      pool: null,
      rules: ['/Common/_sys_https_redirect'],
    });
  });

  it('adds the galera read VS on 3307 to members on 3306 without priority, mirrored', () => {
    const vs = get(objects, 'virtual', '/RPC/RPC_VS_GALERA_READ');
    expect(vs).toMatchObject({ destination: '172.29.236.10:3307', pool: '/RPC/RPC_POOL_GALERA_READ', mirror: true });
    const pool = get(objects, 'pool', '/RPC/RPC_POOL_GALERA_READ');
    expect(pool.members.every((m) => m.port === 3306 && m.priorityGroup === undefined)).toBe(true);
    expect(get(objects, 'virtual', '/RPC/RPC_VS_GALERA').mirror).toBe(true);
  });

  it('gives the noVNC console a pool on 6080, an internal VS and a public SSL VS, both with source persistence', () => {
    expect(get(objects, 'pool', '/RPC/RPC_POOL_NOVA_NOVNC_CONSOLE').members.map((m) => m.port)).toEqual([6080, 6080]);
    expect(get(objects, 'virtual', '/RPC/RPC_VS_NOVA_NOVNC_CONSOLE')).toMatchObject({
      destination: '172.29.236.10:6080',
      persist: '/RPC/RPC_PROF_PERSIST_IP',
    });
    expect(get(objects, 'virtual', '/RPC/RPC_PUB_SSL_VS_NOVA_NOVNC_CONSOLE')).toMatchObject({
      destination: '203.0.113.10:6080',
      persist: '/RPC/RPC_PROF_PERSIST_IP',
    });
  });

  it('warns about each missing group once, keeps an empty pool for it and gives it no virtual server', () => {
    const missing = warnings.filter((w) => w.includes('not found')).map((w) => /"([^"]+)"/.exec(w)?.[1]);
    expect(missing.sort()).toEqual(
      [
        'glance_api',
        'glance_registry',
        'heat_api_cfn',
        'heat_api_cloudwatch',
        'heat_api',
        'keystone',
        'neutron_server',
        'nova_api_metadata',
        'nova_api_os_compute',
        'cinder_api',
        'elasticsearch',
        'swift_proxy',
        'magnum_all',
      ].sort(),
    );
    expect(get(objects, 'pool', '/RPC/RPC_POOL_KEYSTONE_SERVICE').members).toEqual([]);
    expect(objects.some((o) => o.kind === 'virtual' && o.name.endsWith('_KEYSTONE_SERVICE'))).toBe(false);
  });

  it('emits each node once, sorted, at its container_address', () => {
    const nodes = objects.filter((o) => o.kind === 'node');
    expect(nodes.map((n) => n.name)).toEqual([...new Set(nodes.map((n) => n.name))].sort());
    expect(nodes).toHaveLength(9);
    expect(get(objects, 'node', '/RPC/RPC_NODE_log1_kibana_container-6aa3fbb3').address).toBe('172.29.237.205');
  });

  it('defaults the SNAT pool to offset 15 of container_cidr with a 3600 s idle timeout', () => {
    expect(get(objects, 'snatpool', '/RPC/RPC_SNATPOOL').members).toEqual(['172.29.236.15']);
    expect(get(objects, 'snat-translation', '/RPC/172.29.236.15').ipIdleTimeout).toBe(3600);
  });
});

describe('generateConfig kilo', () => {
  const { config } = generateConfig('kilo', inventory('kilo'), SSL);

  it('reproduces the r11 layout: fastest-node, one console key with a pass-through public VS, horizon re-encrypted on 443', () => {
    expect(get(config.objects, 'pool', '/RPC/RPC_POOL_GALERA').loadBalancingMode).toBe('fastest-node');
    expect(get(config.objects, 'virtual', '/RPC/RPC_PUB_VS_NOVA_CONSOLE').profiles).toEqual([
      { name: '/Common/fastL4' },
    ]);
    const horizon = get(config.objects, 'pool', '/RPC/RPC_POOL_HORIZON_SSL');
    expect(horizon.members.map((m) => m.port)).toEqual([443, 443]);
    expect(horizon.monitor).toBe('/RPC/RPC_MON_HTTPS_HORIZON_SSL');
    expect(get(config.objects, 'virtual', '/RPC/RPC_PUB_SSL_VS_HORIZON_SSL').profiles.map((p) => p.name)).toContain(
      '/RPC/RPC_PROF_SSL_SERVER',
    );
    expect(
      config.objects.some(
        (o) => o.name.includes('NOVNC') || o.name.includes('REPO_GIT') || o.name.includes('GALERA_READ'),
      ),
    ).toBe(false);
  });

  it('emits no public virtual server when told there is no public VIP', () => {
    const { config: internalOnly, warnings } = generateConfig('kilo', inventory('kilo'), { publicVip: null });
    expect(internalOnly.objects.some((o) => o.kind === 'virtual' && o.name.includes('_PUB_'))).toBe(false);
    expect(warnings.join('\n')).toContain('No public VIP');
  });
});

describe('generateConfig does not repeat the upstream bugs', () => {
  it('de-duplicates a host reached through two paths of a group (upstream compared names with records)', () => {
    const inv = inventory('newton');
    (inv.repo_all as { hosts: string[] }).hosts = ['infra2_repo_container-61388380'];
    const pool = get(generateConfig('newton', inv, SSL).config.objects, 'pool', '/RPC/RPC_POOL_REPO_CACHE') as Pool;
    expect(pool.members.map((m) => m.node)).toEqual([
      '/RPC/RPC_NODE_infra1_repo_container-8f2132e4',
      '/RPC/RPC_NODE_infra2_repo_container-61388380',
    ]);
  });

  it('survives a cycle between groups (pre-Newton self-referencing groups) and a dangling child', () => {
    const inv = inventory('kilo');
    (inv.pkg_repo as { children: string[] }).children = ['repo_all', 'compute1-host_containers'];
    const pool = get(generateConfig('kilo', inv, SSL).config.objects, 'pool', '/RPC/RPC_POOL_REPO') as Pool;
    expect(pool.members).toHaveLength(2);
  });

  it('restarts priority groups at 100 for every pool and never goes below 1', () => {
    const inv = inventory('newton');
    const galera = inv.galera as { hosts: string[] };
    for (let i = 0; i < 25; i += 1) {
      const name = `infra${i + 3}_galera_container-0000${String(i).padStart(4, '0')}`;
      galera.hosts.push(name);
      inv._meta.hostvars[name] = { container_address: `172.29.238.${i + 10}` };
    }
    const objects = generateConfig('newton', inv, SSL).config.objects;
    const priorities = get(objects, 'pool', '/RPC/RPC_POOL_GALERA').members.map((m) => m.priorityGroup ?? 0);
    expect(priorities.slice(0, 3)).toEqual([100, 95, 90]);
    expect(Math.min(...priorities)).toBe(1);
    expect(get(objects, 'pool', '/RPC/RPC_POOL_REPO_CACHE').members[0]?.priorityGroup).toBe(100);
  });

  it('uses the prefix and partition given, for every object including the public ones', () => {
    const objects = generateConfig('newton', inventory('newton'), { ...SSL, partition: 'LAB', prefix: 'LAB' }).config
      .objects;
    expect(objects.filter((o) => o.kind !== 'partition').every((o) => o.name.startsWith('/LAB/'))).toBe(true);
    expect(objects.some((o) => o.name === '/LAB/LAB_PUB_SSL_VS_NOVA_NOVNC_CONSOLE')).toBe(true);
    const vs = get(objects, 'virtual', '/LAB/LAB_VS_GALERA') as VirtualServer;
    expect(vs.snat).toBe('/LAB/LAB_SNATPOOL');
  });
});

describe('generateConfig rejects bad input with the value to supply', () => {
  it('requires an SSL domain whenever an SSL virtual server is emitted, instead of writing RPC_PROF_SSL_None', () => {
    const error = catchError(() => generateConfig('newton', inventory('newton')));
    expect(error.code).toBe('LEAP_F5_SSL_DOMAIN_REQUIRED');
    expect(error.message).toContain('RPC_VS_HORIZON_SSL');
    expect(error.hint).toContain('--ssl-domain');
  });

  it('needs no SSL domain for a Kilo configuration without public virtual servers', () => {
    expect(() => generateConfig('kilo', inventory('kilo'), { publicVip: null })).not.toThrow();
  });

  it('names internal_lb_vip_address when the inventory lacks it', () => {
    const inv = inventory('newton');
    delete inv.all.vars.internal_lb_vip_address;
    const error = catchError(() => generateConfig('newton', inv, SSL));
    expect(error.code).toBe('LEAP_F5_INTERNAL_VIP_MISSING');
    expect(error.hint).toContain('internal_lb_vip_address');
  });

  it('asks for --public-vip when Newton has no external_lb_vip_address', () => {
    const inv = inventory('newton');
    delete inv.all.vars.external_lb_vip_address;
    const error = catchError(() => generateConfig('newton', inv, SSL));
    expect(error.code).toBe('LEAP_F5_PUBLIC_VIP_MISSING');
    expect(error.hint).toContain('--public-vip');
  });

  it('rejects an external_lb_vip_address that is a DNS name, naming it', () => {
    const inv = inventory('newton');
    inv.all.vars.external_lb_vip_address = 'cloud.example.com';
    const error = catchError(() => generateConfig('newton', inv, SSL));
    expect(error.code).toBe('LEAP_F5_VIP_INVALID');
    expect(error.message).toContain('cloud.example.com');
    expect(error.hint).toContain('--public-vip');
  });

  it('rejects a SNAT address outside the container network, naming the address and the network', () => {
    const error = catchError(() =>
      generateConfig('newton', inventory('newton'), { ...SSL, snat: ['172.29.236.20', '10.0.0.5'] }),
    );
    expect(error.code).toBe('LEAP_F5_SNAT_OUTSIDE_CIDR');
    expect(error.message).toContain('10.0.0.5');
    expect(error.message).toContain('172.29.236.0/22');
    expect(error.hint).toContain('--snat');
  });

  it('rejects the default SNAT offset when the container network is too small to hold it', () => {
    const inv = inventory('newton');
    inv.all.vars.container_cidr = '172.29.236.0/28';
    const error = catchError(() => generateConfig('newton', inv, SSL));
    expect(error.code).toBe('LEAP_F5_SNAT_OUTSIDE_CIDR');
    expect(error.hint).toContain('--snat');
  });

  it('asks for --snat when the inventory has no container_cidr (OSA 14.0.0–14.0.4)', () => {
    const inv = inventory('newton');
    delete inv.all.vars.container_cidr;
    const error = catchError(() => generateConfig('newton', inv, SSL));
    expect(error.code).toBe('LEAP_F5_SNAT_MISSING');
    expect(error.hint).toContain('--snat');
    expect(generateConfig('newton', inv, { ...SSL, snat: ['172.29.236.16'] }).warnings.join('\n')).toContain(
      'not checked',
    );
  });

  it('rejects a SNAT address that is also a VIP', () => {
    const error = catchError(() => generateConfig('newton', inventory('newton'), { ...SSL, snat: ['172.29.236.10'] }));
    expect(error.code).toBe('LEAP_F5_SNAT_CONFLICT');
  });

  it('names the host whose container_address is missing', () => {
    const inv = inventory('newton');
    inv._meta.hostvars['infra2_galera_container-46555b08']!.container_address = null;
    const error = catchError(() => generateConfig('newton', inv, SSL));
    expect(error.code).toBe('LEAP_F5_HOST_ADDRESS_MISSING');
    expect(error.host).toBe('infra2_galera_container-46555b08');
  });

  it('refuses something that is not an OSA inventory', () => {
    expect(catchError(() => generateConfig('newton', { galera: { hosts: [] } }, SSL)).code).toBe(
      'LEAP_F5_INVENTORY_INVALID',
    );
    expect(catchError(() => generateConfig('newton', [], SSL)).code).toBe('LEAP_F5_INVENTORY_INVALID');
  });

  it('refuses an unknown release and an invalid partition name', () => {
    expect(catchError(() => generateConfig('ocata' as 'newton', inventory('newton'), SSL)).code).toBe(
      'LEAP_F5_RELEASE_UNKNOWN',
    );
    expect(
      catchError(() => generateConfig('newton', inventory('newton'), { ...SSL, partition: 'my partition' })).code,
    ).toBe('LEAP_F5_NAME_INVALID');
  });
});

describe('generateConfig SNAT option', () => {
  it('takes several SNAT addresses once each, ignoring blanks', () => {
    const { config } = generateConfig('newton', inventory('newton'), {
      ...SSL,
      snat: [' 172.29.236.16', '172.29.236.17', '172.29.236.16', ''],
    });
    expect(get(config.objects, 'snatpool', '/RPC/RPC_SNATPOOL').members).toEqual(['172.29.236.16', '172.29.236.17']);
  });
});
