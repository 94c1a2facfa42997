import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadSubset, subsetViolations } from './support/ansible-subset.js';

// r14.1.0's scripts/bootstrap-ansible.sh installs Ansible 2.1 on the deploy host, and every playbook leap ships runs
// there; the lab's ansible-core 2.14 would accept far more, so the subset is checked statically.
const subset = loadSubset(fileURLToPath(new URL('./ansible-2.1-subset.json', import.meta.url)));
const playbooks = fileURLToPath(new URL('../playbooks/', import.meta.url));

describe('the playbooks leap ships stay inside Ansible 2.1', () => {
  const files = readdirSync(playbooks).filter((name) => name.endsWith('.yml'));

  it('finds the playbooks', () => {
    expect(files.length).toBeGreaterThanOrEqual(10);
  });

  it.each(files)('%s', (name) => {
    expect(subsetViolations(readFileSync(`${playbooks}${name}`, 'utf8'), subset)).toEqual([]);
  });
});

describe('the subset check', () => {
  it('reports what Ansible 2.1 lacks: FQCNs, loop:, argv, newer options, values, filters, tests and lookups', () => {
    const text = `
- name: p
  hosts: all
  tasks:
    - name: t1
      ansible.builtin.command:
        argv: [echo, hi]
      loop: [1, 2]
    - name: t2
      command:
        argv: [echo, hi]
    - name: t3
      find:
        paths: /x
        file_type: any
    - name: t4
      assert:
        that: "x is truthy"
        fail_msg: no
    - name: t5
      debug:
        msg: "{{ a | zip(b) | list }} {{ c | split(',') }} {{ lookup('ansible.builtin.file', 'f') }} {{ query('items', x) }}"
      with_flattened: [[1]]
      when: "x | selectattr('a', 'falsy') | list"
`;
    expect(subsetViolations(text, subset)).toEqual([
      'play "p", task "t1": module or keyword "ansible.builtin.command"',
      'play "p", task "t1": module or keyword "loop"',
      'play "p", task "t2": option "argv" of module "command"',
      'play "p", task "t3": value "any" of find\'s option "file_type" (2.1 allows file, directory)',
      'play "p", task "t4": test "truthy"',
      'play "p", task "t4": option "fail_msg" of module "assert"',
      'play "p", task "t5": filter "zip"',
      'play "p", task "t5": filter "split"',
      'play "p", task "t5": lookup "ansible.builtin.file"',
      'play "p", task "t5": query() (Ansible 2.5)',
      'play "p", task "t5": test "falsy"',
    ]);
  });

  it('accepts the 2.1 forms: short names, with_items, free-form commands, quote, extract, search', () => {
    const text = `
- name: p
  hosts: "{{ leap_hosts | default('all') }}"
  gather_facts: false
  tasks:
    - name: t
      command: "{{ cmd | map('quote') | join(' ') }}"
      with_items: "{{ xs | map('extract', hostvars, ['a']) | select('search', 'x') | list }}"
      when: y is defined and y | bool
    - name: f
      set_fact:
        _any_fact_name: "{{ z | default('') | b64decode }}"
`;
    expect(subsetViolations(text, subset)).toEqual([]);
  });

  it("checks set_fact's values, whatever its fact names", () => {
    const text = `
- name: p
  hosts: all
  tasks:
    - name: f
      set_fact:
        _fact: "{{ xs | flatten }}"
`;
    expect(subsetViolations(text, subset)).toEqual(['play "p", task "f": filter "flatten"']);
  });
});
