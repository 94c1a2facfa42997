import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { readPlainYaml } from '../src/plain-yaml.js';

/** The plain reader must give what the full library gives, or nothing; never a different answer or a missed error. */
function expectSameAsLibrary(text: string): unknown {
  const plain = readPlainYaml(text);
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    expect(plain, `${JSON.stringify(text)} is invalid YAML (${doc.errors[0]!.message})`).toBeUndefined();
  } else if (plain !== undefined) {
    expect(plain, JSON.stringify(text)).toStrictEqual(doc.toJS());
  }
  return plain;
}

const labConfig = `# leap.yaml of a leap lab (source kilo, seed "leap-lab"), written by \`leap lab create\`.
deployDir: /srv/lab/etc/openstack_deploy
target: r14.1.0
runner: ansible
database:
  host: 127.0.0.1
  port: 29720
  password: ""
ansible:
  command:
    - /srv/lab/bin/openstack-ansible
  extraVars:
    leap_root: "{{ leap_root_prefix }}/{{ physical_host | default(inventory_hostname) }}{{ '' if x else '/var/lib/lxc/' ~ inventory_hostname ~ '/rootfs' }}"
    leap_host_reset_commands: []
    leap_mysql_upgrade_command:
      - mariadb-upgrade
      - --no-defaults
      - --socket=/srv/lab/mysql/mysqld.sock
    leap_manage_owners: false
    leap_openrc: /dev/null   # no keystone in a lab
migrationVenvs:
  kilo: /srv/lab/releases/kilo
  liberty:
    sha256: 8afcd711d97e70b6db88f78608a7510ed1c4e0bd5e5769d6fdcc34f277a408e3
    path: /srv/lab/opt/openstack-ansible-liberty-eol
galera:
  nodes:
    - name: infra1_galera_container-104187db
      host: 127.0.0.1
      port: 31299
      socket: /srv/lab/galera/node1/mysqld.sock
      start:
        - /srv/lab/bin/lab-mariadbd
        - --defaults-file=/srv/lab/galera/node1/my.cnf
    - name: infra1_galera_container-77a846a4
      port: 23537
preflight:
  skip:
    - deploy-host-packages
git:
  expected:
    rpco: 5e9d675a3ecf0ad3abd5d108074c84e2e58fe9f6
`;

describe('readPlainYaml', () => {
  it('reads a leap.yaml as the YAML library does, without the library', () => {
    const plain = expectSameAsLibrary(labConfig);
    expect(plain).toMatchObject({
      database: { port: 29720, password: '' },
      ansible: { extraVars: { leap_host_reset_commands: [] } },
      galera: { nodes: [{ port: 31299, start: ['/srv/lab/bin/lab-mariadbd', expect.any(String)] }, { port: 23537 }] },
    });
    expect(expectSameAsLibrary(labConfig.replace(/\n/g, '\r\n'))).toStrictEqual(plain);
    expect(expectSameAsLibrary(`\uFEFF${labConfig}`)).toStrictEqual(plain);
  });

  it.each([
    [
      'plain scalars of the core schema',
      'a: ~\nb: null\nc: True\nd: FALSE\ne: 0\nf: -12\ng: yes\nh: off\ni: a#b\nj: http://x:80/y\nk:\n',
    ],
    ['quoted scalars with escapes', `a: "x \\"y\\" \\\\ \\n \\t \\u00e9 \\/"\nb: 'it''s'\nc: "" # empty\nd: ''`],
    [
      'nested sequences and maps',
      'a:\n  -\n    b: 1\n  -\n    - x\n    - y\n  - z\nc:\n    deep:\n        deeper: v\n',
    ],
    ['maps inside sequence items', 'a:\n  - b: 1\n    c:\n      - x\n  -  d: 2 # c\n     e: ""\n  - f\n'],
    ['comments everywhere', '# head\na:   # after a key\n  # inside\n  b: c # after a value\n\n# tail\n'],
  ])('reads %s', (_, text) => {
    expect(expectSameAsLibrary(text)).not.toBeUndefined();
  });

  it.each([
    ['an anchor and an alias', 'a: &x 1\nb: *x\n'],
    ['a tag', 'a: !!str 1\n'],
    ['a block scalar', 'a: |\n  text\n'],
    ['a multi-line plain scalar', 'a: one\n  two\n'],
    ['a flow collection with content', 'a: [1, 2]\n'],
    ['a float, hex, octal, infinity', 'a: 1.5\n'],
    ['a number with a leading zero', 'a: 0755\n'],
    ['an integer too big for a double', 'a: 12345678901234567890\n'],
    ['a sha256 of digits and one e', 'a: 1234e5678\n'],
    ['a sequence at its key’s indent', 'a:\n- x\n'],
    ['a duplicate key', 'a: 1\na: 2\n'],
    ['a quoted key', '"a": 1\n'],
    ['a tab', 'a:\t1\n'],
    ['a YAML escape JSON lacks', 'a: "\\x41"\n'],
    ['a document marker', '---\na: 1\n'],
    ['bad indentation', 'a:\n    b: 1\n  c: 2\n'],
    ['an unterminated quote', 'a: "x\n'],
    ['text after a quote', 'a: "x" y\n'],
    ['a boolean key', 'true: 1\n'],
    ['an empty document', '# nothing\n'],
  ])('leaves %s to the YAML library', (_, text) => {
    expect(expectSameAsLibrary(text)).toBeUndefined();
  });

  it('never disagrees with the YAML library on 20,000 generated documents', () => {
    let seed = 20261204;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return Math.floor((seed / 2 ** 31) * n);
    };
    const pick = <T>(items: readonly T[]) => items[random(items.length)]!;
    const good = ['a', 'b', 'c', 'd', 'e', 'key_1', 'x.y', 'z-z', 'port', 'user', 'extraVars', 'leap_root'];
    const keys = [...good, ...good, 'true', 'Null', '"q"', 'k :', '- a', '-'];
    const values = [
      ...['', '', 'x', 'abc def', '/srv/a', '12', '"q x"', "'s x'", '[]', '{}'],
      '',
      '~',
      'null',
      'TRUE',
      'no',
      '0',
      '-0',
      '+1',
      '07',
      '42',
      '1e3',
      '.5',
      '0x1F',
      '0o17',
      '.inf',
      '.NaN',
      'plain text',
      'a: b',
      'a:b',
      'x #c',
      'x#c',
      '# c',
      '"dq"',
      '"d\\"q"',
      '"\\x41"',
      '"open',
      "'sq'",
      "'it''s'",
      "'open",
      '[]',
      '{}',
      '[a]',
      '{a: 1}',
      '&a x',
      '*a',
      '!t x',
      '|',
      '>',
      '-',
      '- x',
      '?',
      ':',
      '@x',
      '`x',
      '%x',
      '"x" y',
      "'x' #c",
      'é ü',
      '\u00a0x',
      'x\u00a0',
      'a\tb',
      '{{ x }}',
      '"{{ x }}"',
      '--x',
      '-x',
      '?x',
      ':x',
      '-.5',
      '- -x',
      '-- x',
      '/p/a-b_c.d',
    ];
    let read = 0;
    for (let n = 0; n < 20_000; n++) {
      const lines: string[] = [];
      for (let i = 0, count = 1 + random(6); i < count; i++) {
        const indent = ' '.repeat(pick([0, 0, 0, 1, 2, 2, 4]));
        const shape = random(5);
        if (shape === 0) lines.push(`${indent}- ${pick(values)}`);
        else if (shape === 1) lines.push(`${indent}${pick(['# comment', '', '---', '-'])}`);
        else lines.push(`${indent}${pick(keys)}:${random(4) === 0 ? '' : ' '}${pick(values)}`);
      }
      if (expectSameAsLibrary(`${lines.join(random(8) === 0 ? '\r\n' : '\n')}\n`) !== undefined) read += 1;
    }
    // Enough of them inside the subset for the comparison to mean something.
    expect(read).toBeGreaterThan(500);
  });
});
