import { describe, expect, it } from 'vitest';
import { leapConfigJsonSchema, validateConfig } from '../src/config-schema.js';

const SHA = 'a'.repeat(64);

describe('validateConfig', () => {
  it.each<[unknown, string]>([
    [{ target: 14 }, '✖ Invalid input: expected string, received number\n  → at target'],
    [{ deploy_dir: '/x' }, '✖ Unrecognized key: "deploy_dir"'],
    [{ runner: 'x' }, '✖ Invalid option: expected one of "ansible"|"local"\n  → at runner'],
    [{ database: { port: -1 } }, '✖ Too small: expected number to be >0\n  → at database.port'],
    [{ database: 3 }, '✖ Invalid input: expected object, received number\n  → at database'],
    [{ ansible: { command: [] } }, '✖ Too small: expected array to have >=1 items\n  → at ansible.command'],
    [{ migrationVenvs: { newton: 3 } }, '✖ Invalid input: expected string or object\n  → at migrationVenvs.newton'],
    [
      { migrationVenvs: { liberty: { sha256: 'abc' } } },
      '✖ must be 64 hexadecimal digits\n  → at migrationVenvs.liberty.sha256',
    ],
    [
      { migrationVenvs: { liberty: { sha256: 1e64 } } },
      '✖ must be a quoted string of 64 hexadecimal digits (unquoted digits are a YAML number)\n  → at migrationVenvs.liberty.sha256',
    ],
    [
      { migrationVenvs: { kilo: { sha256: SHA } } },
      "✖ kilo takes a folder (Kilo's own nova-manage in the nova containers), not a tarball\n  → at migrationVenvs.kilo",
    ],
    [
      { migrationVenvs: { liberty: { sha256: SHA, url: 'u', file: 'f' } } },
      '✖ give url or file, not both\n  → at migrationVenvs.liberty',
    ],
    [{ migrationVenvs: { juno: '/x' } }, '✖ Unrecognized key: "juno"\n  → at migrationVenvs'],
    [{ runAsCommand: ['sudo'] }, '✖ must contain {user}\n  → at runAsCommand'],
    [
      { galera: { nodes: [{ name: '' }] } },
      '✖ Too small: expected string to have >=1 characters\n  → at galera.nodes[0].name\n' +
        '✖ Invalid input: expected string, received undefined\n  → at galera.nodes[0].datadir\n' +
        '✖ Invalid input: expected array, received undefined\n  → at galera.nodes[0].start',
    ],
    [
      { preflight: { minFreeBytes: 1.5 } },
      '✖ Invalid input: expected int, received number\n  → at preflight.minFreeBytes',
    ],
    [{ ansible: { env: { A: 1 } } }, '✖ Invalid input: expected string, received number\n  → at ansible.env.A'],
    [
      { git: { expected: { rpco: 'x' } } },
      '✖ Invalid input: expected string, received undefined\n  → at git.expected.osa',
    ],
    [null, '✖ Invalid input: expected object, received null'],
    [[], '✖ Invalid input: expected object, received array'],
  ])('refuses %j with every problem and its path', (raw, message) => {
    expect(validateConfig(raw)).toEqual({ ok: false, message });
  });

  it('lists every problem of a file at once', () => {
    const result = validateConfig({ target: 1, runner: 'x', extra: true });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message.split('\n').filter((l) => l.startsWith('✖'))).toHaveLength(3);
  });

  it('keeps what the file gives and fills in the rest', () => {
    const result = validateConfig({
      runner: 'local',
      database: { port: 3307 },
      migrationVenvs: { liberty: { sha256: SHA, file: 'l.tgz' }, kilo: '/usr/local' },
      galera: { nodes: [{ name: 'n1', datadir: '/d', start: ['mariadbd'] }] },
    });
    expect(result).toMatchObject({
      ok: true,
      config: {
        runner: 'local',
        database: { port: 3307 },
        migrationVenvs: { liberty: { sha256: SHA, file: 'l.tgz' }, kilo: '/usr/local' },
        galera: { datadir: '/var/lib/mysql', nodes: [{ name: 'n1', env: {} }] },
        housekeeping: { deletedOlderThanDays: 90, batchSize: 1000 },
      },
    });
    expect(result.ok && 'markerDir' in result.config).toBe(false);
  });

  it('gives each parse its own copy of a default', () => {
    const first = validateConfig({});
    if (first.ok) first.config.preflight.skip.push('x');
    expect(validateConfig({})).toMatchObject({ ok: true, config: { preflight: { skip: [] } } });
  });
});

describe('leapConfigJsonSchema', () => {
  it('describes defaults, required keys, patterns and the venv union', () => {
    const schema = leapConfigJsonSchema() as {
      properties: Record<string, { default?: unknown; properties?: Record<string, unknown> }>;
    };
    expect(schema.properties.runner).toMatchObject({ enum: ['ansible', 'local'], default: 'ansible' });
    expect(schema.properties.migrationVenvs?.properties?.liberty).toMatchObject({
      anyOf: [
        { type: 'string', pattern: '^\\/' },
        { type: 'object', required: ['sha256'], additionalProperties: false },
      ],
    });
    expect(JSON.stringify(schema)).not.toContain('"required":["deployDir"');
  });
});
