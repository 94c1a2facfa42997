import { chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { requireCommand, tempDir } from '@leap/test-fixtures';
import { loadConfig } from '../src/config.js';
import { createRuntime } from '../src/commands/shared.js';
import { bootstrapAnsibleStep } from '../src/plan/sections/bootstrap-ansible.js';
import { stepContext } from './step-context.js';

/** An rpc-openstack checkout whose scripts/bootstrap-ansible.sh is `body`. */
async function runtimeWith(body: string | undefined) {
  const dir = tempDir();
  const rpcoDir = join(dir, 'rpc-openstack');
  mkdirSync(join(rpcoDir, 'scripts'), { recursive: true });
  if (body !== undefined) {
    writeFileSync(join(rpcoDir, 'scripts/bootstrap-ansible.sh'), `#!/bin/sh\n${body}\n`);
    chmodSync(join(rpcoDir, 'scripts/bootstrap-ansible.sh'), 0o755);
  }
  const config = await loadConfig({ rpcoDir, markerDir: join(dir, 'markers'), backupDir: join(dir, 'backup') });
  const rt = createRuntime(config, { stdout: () => undefined, stderr: () => undefined }, { interactive: false });
  return { rt, logs: rt.paths.logs };
}

describe('git/bootstrap-ansible', () => {
  it("runs the target's bootstrap in the checkout, keeps its output in a log and reports the Ansible it leaves", async () => {
    requireCommand('ansible-playbook');
    const { rt, logs } = await runtimeWith('echo "installing ansible in $(pwd)"; echo progress >&2');
    const result = await bootstrapAnsibleStep(rt).run(stepContext('git/bootstrap-ansible'));
    expect(result).toMatch(/^scripts\/bootstrap-ansible\.sh done; ansible-playbook is 2\.\d+\.\d+; log /);
    const [log] = readdirSync(logs);
    const text = readFileSync(join(logs, log!), 'utf8');
    expect(text).toContain(`installing ansible in ${rt.config.rpcoDir}`);
    expect(text).toContain('progress');
  });

  it('fails naming the script and its log when the bootstrap fails, and says it can run again', async () => {
    const { rt, logs } = await runtimeWith('echo "pip: no route to the repo server" >&2; exit 3');
    const error = await Promise.resolve(bootstrapAnsibleStep(rt).run(stepContext('git/bootstrap-ansible'))).catch(
      (e: unknown) => e,
    );
    const [log] = readdirSync(logs);
    expect(error).toMatchObject({ code: 'LEAP_BOOTSTRAP_FAILED', file: join(logs, log!) });
    expect((error as Error).message).toContain(`${rt.config.rpcoDir}/scripts/bootstrap-ansible.sh failed (exit 3)`);
    expect((error as { hint: string }).hint).toContain('safe to run again');
    expect(readFileSync(join(logs, log!), 'utf8')).toContain('no route to the repo server');
  });

  it('says the checkout is not on the target when the script is missing', async () => {
    const { rt } = await runtimeWith(undefined);
    const error = await Promise.resolve(bootstrapAnsibleStep(rt).run(stepContext('git/bootstrap-ansible'))).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({
      code: 'LEAP_BOOTSTRAP_MISSING',
      file: `${rt.config.rpcoDir}/scripts/bootstrap-ansible.sh`,
    });
    expect((error as { hint: string }).hint).toContain('git/checkout');
  });
});
