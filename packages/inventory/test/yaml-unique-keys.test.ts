import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { InventoryError, parseYamlText } from '../src/index.js';
import { parseDocumentUniqueKeys } from '../src/yaml/unique-keys.js';

const errors = (text: string) => parseDocument(text, { uniqueKeys: true }).errors.map((e) => [e.code, e.pos[0]]);

describe('duplicate YAML keys', () => {
  it('reports what yaml uniqueKeys reports, at the same offsets', () => {
    for (const text of [
      'a: 1\nb: 2\na: 3\n',
      'hosts:\n  h1: {ip: 1}\n  h2: {ip: 2, ip: 3}\n  h1: {ip: 4}\n',
      '1: x\n"1": y\n',
      'a: [1, {k: 1, k: 2}]\nok: 1\n',
      'a: 1\nb: [\nc: 2\na: 3\n',
      '.nan: 1\n.nan: 2\n',
    ])
      expect(
        parseDocumentUniqueKeys(text).errors.map((e) => [e.code, e.pos[0]]),
        text,
      ).toEqual(errors(text));
  });

  it('is a LEAP_YAML_SYNTAX error naming the line and column of the repeated key', () => {
    const error = (() => {
      try {
        parseYamlText(
          'compute_hosts:\n  c1:\n    ip: 10.0.0.1\n  c1:\n    ip: 10.0.0.2\n',
          '/etc/openstack_deploy/openstack_user_config.yml',
        );
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(InventoryError);
    expect((error as InventoryError).code).toBe('LEAP_YAML_SYNTAX');
    expect((error as InventoryError).message).toBe(
      '/etc/openstack_deploy/openstack_user_config.yml:4:3: invalid YAML: Map keys must be unique',
    );
  });
});
