import { describe, expect, it } from 'vitest';
import { emitConfig, F5Error, generateConfig, parseTmsh, type F5Object } from '../src/index.js';
import { fixturePath, fixtureText, inventory } from './helpers.js';

function catchError(run: () => unknown): F5Error {
  try {
    run();
  } catch (error) {
    if (error instanceof F5Error) return error;
    throw error;
  }
  throw new Error('expected an F5Error');
}

describe('round trip: parseTmsh(emitConfig(config)) equals config', () => {
  it.each([
    ['newton', 'newton'],
    ['kilo', 'kilo'],
  ] as const)('holds for the generated %s configuration', (release, fixture) => {
    const { config } = generateConfig(release, inventory(fixture), { sslDomain: 'cloud.example.com' });
    const text = emitConfig(config, { configSyncGroup: 'SYNC-FAILOVER' });
    expect(parseTmsh(text).objects).toEqual(config.objects);
  });

  it('holds for a prefixed partition and several SNAT addresses', () => {
    const { config } = generateConfig('newton', inventory('newton'), {
      sslDomain: 'lab.example.com',
      partition: 'LAB1',
      prefix: 'LAB1',
      snat: ['172.29.236.16', '172.29.236.17'],
    });
    expect(parseTmsh(emitConfig(config)).objects).toEqual(config.objects);
  });
});

describe('parseTmsh on a device listing', () => {
  const parsed = parseTmsh(fixtureText('device-partly-newton.conf'), { file: 'device-partly-newton.conf' });
  const get = (name: string): F5Object | undefined => parsed.objects.find((o) => o.name === name);

  it('reads multi-line blocks, member blocks and service-name ports', () => {
    expect(get('/RPC/RPC_POOL_GALERA')).toEqual({
      kind: 'pool',
      name: '/RPC/RPC_POOL_GALERA',
      loadBalancingMode: 'least-connections-node',
      members: [
        { node: '/RPC/RPC_NODE_infra1_galera_container-fb6c2d6a', port: 3306, priorityGroup: 100 },
        { node: '/RPC/RPC_NODE_infra2_galera_container-46555b08', port: 3306, priorityGroup: 95 },
      ],
      minActiveMembers: 1,
      monitor: '/RPC/RPC_MON_GALERA',
      serviceDownAction: 'reset',
      slowRampTime: 0,
    });
    expect(get('/RPC/RPC_VS_REPO_GIT')).toMatchObject({
      destination: '172.29.236.10:9418',
      mirror: false,
      snat: '/RPC/RPC_SNATPOOL',
      profiles: [{ name: '/Common/fastL4' }],
    });
    expect(get('/RPC/RPC_MON_TCP_REPO_GIT')).toMatchObject({ destination: '*:9418', interval: 5, timeout: 16 });
  });

  it('keeps quoted strings as written, escapes included', () => {
    expect(get('/RPC/RPC_MON_HTTP_HORIZON')).toMatchObject({
      send: 'HEAD / HTTP/1.1\\r\\nHost: rpc\\r\\n\\r\\n',
      recv: '302 Found',
    });
  });

  it('keeps an iRule body with nested braces and braces inside strings', () => {
    const rule = get('/RPC/OPS_MAINTENANCE_PAGE');
    expect(rule?.kind).toBe('rule');
    expect(rule && 'definition' in rule ? rule.definition : '').toMatch(
      /^when HTTP_REQUEST \{[\s\S]*"<html>\{maintenance\}<\/html>"\s*\}$/,
    );
  });

  it('skips and reports what it does not model instead of guessing', () => {
    expect(parsed.skipped).toContainEqual({
      line: expect.any(Number),
      header: 'ltm virtual-address /RPC/172.29.236.10',
    });
    expect(parsed.objects.some((o) => o.name === '/RPC/172.29.236.10' && o.kind !== 'snat-translation')).toBe(false);
  });

  it('resolves relative names against the folder the listing ran in, built-ins against /Common', () => {
    const text = [
      'ltm pool RPC_POOL_REPO { members { RPC_NODE_repo1:8181 { address 10.0.0.1 } } monitor RPC_MON_HTTP_REPO }',
      'ltm monitor http RPC_MON_HTTP_REPO { defaults-from http destination *:8181 }',
      'ltm node RPC_NODE_repo1 { address 10.0.0.1 }',
      'ltm virtual RPC_VS_REPO { destination 10.0.0.10:intermapper pool RPC_POOL_REPO profiles { fastL4 { } } snatpool RPC_SNATPOOL }',
      'ltm snatpool RPC_SNATPOOL { members { 10.0.0.15 } }',
    ].join('\n');
    const objects = parseTmsh(text, { folder: 'RPC' }).objects;
    expect(objects.find((o) => o.name === '/RPC/RPC_POOL_REPO')).toMatchObject({
      members: [{ node: '/RPC/RPC_NODE_repo1', port: 8181 }],
      monitor: '/RPC/RPC_MON_HTTP_REPO',
    });
    expect(objects.find((o) => o.name === '/RPC/RPC_MON_HTTP_REPO')).toMatchObject({ defaultsFrom: '/Common/http' });
    expect(objects.find((o) => o.name === '/RPC/RPC_VS_REPO')).toMatchObject({
      destination: '10.0.0.10:8181',
      profiles: [{ name: '/Common/fastL4' }],
      snat: '/RPC/RPC_SNATPOOL',
    });
  });

  it('reads the certificate of a v12 client-ssl profile from its cert-key-chain', () => {
    const text =
      'ltm profile client-ssl /RPC/RPC_PROF_SSL_c.example.com { cert-key-chain { c_1 { cert /RPC/c.example.com.crt key /RPC/c.example.com.key } } defaults-from /Common/clientssl }';
    expect(parseTmsh(text).objects[0]).toMatchObject({ cert: '/RPC/c.example.com.crt', key: '/RPC/c.example.com.key' });
  });
});

describe('parseTmsh rejects what it cannot read, naming the file and line', () => {
  it('reports a block that is never closed at the line that opens it', () => {
    const error = catchError(() =>
      parseTmsh('ltm node /RPC/a { address 10.0.0.1 }\nltm pool /RPC/p {\n  members {\n', { file: '/tmp/f5.conf' }),
    );
    expect(error.code).toBe('LEAP_F5_PARSE');
    expect(error.message).toContain('/tmp/f5.conf:2');
    expect(error.file).toBe('/tmp/f5.conf');
    expect(error.hint).toContain('tmsh');
  });

  it('reports a closing brace without an opening one', () => {
    expect(catchError(() => parseTmsh('ltm node /RPC/a { address 10.0.0.1 } }')).message).toContain('line 1');
  });

  it('reports a quoted string that never ends', () => {
    const error = catchError(() => parseTmsh('ltm monitor http /RPC/m {\n send "HEAD /\n}\n'));
    expect(error.code).toBe('LEAP_F5_PARSE');
    expect(error.message).toContain('line 2');
  });

  it('asks for numeric ports when the listing uses a service name it does not know', () => {
    const error = catchError(() => parseTmsh('ltm virtual /RPC/v { destination /RPC/10.0.0.1:sunrpc }'));
    expect(error.code).toBe('LEAP_F5_PARSE');
    expect(error.hint).toContain('cli global-settings service number');
  });

  it('refuses a file with no F5 object in it, such as the inventory given by mistake', () => {
    const error = catchError(() =>
      parseTmsh(fixtureText('newton-inventory.json'), { file: fixturePath('newton-inventory.json') }),
    );
    expect(['LEAP_F5_PARSE', 'LEAP_F5_PARSE_EMPTY']).toContain(error.code);
    expect(catchError(() => parseTmsh('# nothing here\n\n')).code).toBe('LEAP_F5_PARSE_EMPTY');
  });

  it('refuses a pool member without a port and a virtual server without a destination', () => {
    expect(catchError(() => parseTmsh('ltm pool /RPC/p { members { /RPC/n1 } }')).message).toContain('has no :port');
    expect(catchError(() => parseTmsh('ltm virtual /RPC/v { pool /RPC/p }')).message).toContain('no destination');
  });
});
