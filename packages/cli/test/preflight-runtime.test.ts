import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { requireCommand, tempDir } from '@leap/test-fixtures';
import { localExec } from '@leap/contract';
import { checkRuntime, type RuntimeProbe } from '../src/preflight/runtime-check.js';

const exec = localExec;

function probe(overrides: Partial<RuntimeProbe> = {}): RuntimeProbe {
  return {
    localExec: exec,
    ansibleCommand: ['ansible-playbook'],
    targetExec: async () => exec,
    dumpClient: async () => 'mariadb-dump',
    ...overrides,
  };
}

/** A stand-in `ansible-playbook --version` printing what Kilo's Ansible 1.9 prints. */
function oldAnsible(): string {
  const file = join(tempDir(), 'ansible-playbook');
  writeFileSync(file, '#!/bin/sh\necho "ansible-playbook 1.9.4"\necho "  configured module search path = None"\n');
  chmodSync(file, 0o755);
  return file;
}

describe('preflight: the runtime', () => {
  it('reports Node, glibc, the Ansible that runs the playbooks, the target Python and the dump client', async () => {
    requireCommand('ansible-playbook');
    const result = await checkRuntime(probe());
    expect(result).toMatchObject({ id: 'runtime', status: 'ok' });
    expect(result.message).toContain(`Node ${process.versions.node}`);
    expect(result.message).toMatch(/glibc \d+\.\d+/);
    expect(result.message).toMatch(/Ansible 2\.\d+\.\d+/);
    expect(result.message).toMatch(/target Python \d+\.\d+\.\d+ \(python3?\)/);
    expect(result.message).toMatch(/dump client .*mariadb-dump/i);
  });

  it("warns that Kilo's Ansible 1.9 cannot run r14.1.0, naming the bootstrap that installs 2.1", async () => {
    const result = await checkRuntime(probe({ ansibleCommand: [oldAnsible()] }));
    expect(result.status).toBe('warning');
    expect(result.message).toContain('Ansible 1.9.4');
    expect(result.hint).toContain('scripts/bootstrap-ansible.sh');
  });

  it('fails without Ansible, and says the target Python is unknown when no galera container is reachable', async () => {
    const result = await checkRuntime(
      probe({
        ansibleCommand: [join(tempDir(), 'no-such-ansible-playbook')],
        targetExec: async () => {
          throw new Error('no host matched galera_all');
        },
        dumpClient: async () => undefined,
      }),
    );
    expect(result.status).toBe('failed');
    expect(result.message).toContain('target Python unknown (no host matched galera_all)');
    expect(result.message).toContain('dump client none');
    expect(result.hint).toContain('ansible.execCommand');
  });
});
