import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { requireCommand, tempDir } from '@leap/test-fixtures';
import { beforeAll, describe, expect, it } from 'vitest';
import { OsaDeployError, runPlaybook, type AnsibleSettings, type ProgressEvent } from '../src/index.js';
import { fixturePlaybooks, processesWithEnv, writeInventory } from './helpers.js';

beforeAll(() => {
  requireCommand('ansible-playbook');
});

function settings(dir: string, extra: Partial<AnsibleSettings> = {}): AnsibleSettings {
  return {
    command: ['ansible-playbook'],
    playbooksDir: fixturePlaybooks,
    logDir: join(dir, 'logs'),
    ...extra,
    inventory: extra.inventory ?? [writeInventory(dir, { web: ['alpha', 'beta'] })],
  };
}

async function rejection(promise: Promise<unknown>): Promise<OsaDeployError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(OsaDeployError);
  return error as OsaDeployError;
}

describe('runPlaybook', () => {
  it('streams plays and tasks, parses the recap and names the failing host, its task and the log', async () => {
    const dir = tempDir();
    const events: ProgressEvent[] = [];
    const error = await rejection(
      runPlaybook(settings(dir, { onProgress: (event) => events.push(event) }), {
        id: 'web/configure',
        playbook: 'progress.yml',
      }),
    );

    expect(events.filter((e) => e.kind === 'play').map((e) => e.kind === 'play' && e.play)).toEqual([
      'Configure the web tier',
    ]);
    expect(events.filter((e) => e.kind === 'task').map((e) => e.kind === 'task' && e.task)).toEqual([
      'say hello',
      'fail on beta only',
      'ignored failure does not count',
    ]);
    expect(events).toContainEqual(
      expect.objectContaining({
        kind: 'host',
        host: 'beta',
        status: 'failed',
        task: 'fail on beta only',
        message: 'disk full on beta',
      }),
    );
    const recap = events.find((e) => e.kind === 'recap');
    expect(recap?.kind === 'recap' && recap.recap).toEqual({
      alpha: { ok: 2, changed: 2, unreachable: 0, failed: 0, skipped: 1, rescued: 0, ignored: 1 },
      beta: { ok: 1, changed: 1, unreachable: 0, failed: 1, skipped: 0, rescued: 0, ignored: 0 },
    });

    expect(error.code).toBe('LEAP_PLAYBOOK_FAILED');
    expect(error.host).toBe('beta');
    expect(error.hosts).toEqual(['beta']);
    expect(error.step).toBe('web/configure');
    expect(error.message).toContain('failed on beta (task "fail on beta only": disk full on beta)');
    expect(error.message).not.toContain('alpha');
    expect(error.file).toMatch(/web-configure\.log$/);
    expect(error.message).toContain(error.file);
    expect(readFileSync(error.file ?? '', 'utf8')).toContain('fatal: [beta]: FAILED!');
    // ANSIBLE_LOG_PATH points beside it.
    expect(readFileSync((error.file ?? '').replace(/\.log$/, '.ansible.log'), 'utf8')).toContain('disk full on beta');
  });

  it('resolves with the recap when every host succeeds', async () => {
    const dir = tempDir();
    const result = await runPlaybook(settings(dir), { id: 'web/configure', playbook: 'progress.yml', limit: 'alpha' });
    expect(result.recap).toEqual({ alpha: expect.objectContaining({ ok: 2, failed: 0 }) });
    expect(result.attempts).toHaveLength(1);
    expect(result.attempts[0]?.argv).toEqual([
      'ansible-playbook',
      'progress.yml',
      '-i',
      join(dir, 'inventory.ini'),
      '--limit',
      'alpha',
    ]);
  });

  it('names unreachable hosts apart from failed ones', async () => {
    const dir = tempDir();
    const inventory = writeInventory(dir, { web: ['alpha', 'beta', 'gone'] }, { unreachable: ['gone'] });
    const error = await rejection(
      runPlaybook(settings(dir, { inventory: [inventory] }), { id: 'web/configure', playbook: 'progress.yml' }),
    );
    expect(error.code).toBe('LEAP_PLAYBOOK_FAILED');
    expect(error.hosts).toEqual(['beta', 'gone']);
    expect(error.message).toMatch(
      /failed on beta .*; could not reach gone \(task "say hello": Failed to connect to the host via ssh/,
    );
  });

  it('reports only unreachable hosts with their own code and hint', async () => {
    const dir = tempDir();
    const inventory = writeInventory(dir, { web: ['alpha', 'gone'] }, { unreachable: ['gone'] });
    const error = await rejection(
      runPlaybook(settings(dir, { inventory: [inventory] }), { id: 'web/configure', playbook: 'progress.yml' }),
    );
    expect(error.code).toBe('LEAP_HOSTS_UNREACHABLE');
    expect(error.host).toBe('gone');
    expect(error.hint).toContain('gone is up and reachable');
  });

  it('maps a missing playbook and a syntax error to errors that quote Ansible and name the log', async () => {
    const dir = tempDir();
    const missing = await rejection(runPlaybook(settings(dir), { id: 'missing', playbook: 'no-such-playbook.yml' }));
    expect(missing.code).toBe('LEAP_PLAYBOOK_ERROR');
    expect(missing.message).toContain('exited with 1');
    expect(missing.message).toContain('no-such-playbook.yml');
    expect(missing.hint).toContain('playbook is missing');
    const broken = await rejection(runPlaybook(settings(dir), { id: 'broken', playbook: 'broken.yml' }));
    expect(broken.code).toBe('LEAP_PLAYBOOK_ERROR');
    expect(broken.message).toContain('exited with 4');
    expect(existsSync(broken.file ?? '')).toBe(true);
  });

  it('says which command could not be started', async () => {
    const dir = tempDir();
    const error = await rejection(
      runPlaybook(settings(dir, { command: [join(dir, 'no-openstack-ansible')] }), {
        id: 'x',
        playbook: 'progress.yml',
      }),
    );
    expect(error.code).toBe('LEAP_ANSIBLE_NOT_STARTED');
    expect(error.message).toContain('no-openstack-ansible');
  });

  it('cancelling a long playbook leaves no ansible process behind', async () => {
    const dir = tempDir();
    const mark = randomUUID();
    const controller = new AbortController();
    const run = runPlaybook(
      settings(dir, {
        env: { LEAP_TEST_MARK: mark },
        signal: controller.signal,
        killGraceMs: 5_000,
      }),
      { id: 'long', playbook: 'long.yml' },
    );
    // Cancel only once both hosts' `sleep` is running, so the check below is not vacuous.
    let runningBeforeCancel: string[] = [];
    for (let waited = 0; waited < 30_000; waited += 200) {
      runningBeforeCancel = processesWithEnv('LEAP_TEST_MARK', mark).map((p) => p.cmdline);
      if (runningBeforeCancel.filter((cmdline) => cmdline.startsWith('sleep 317')).length === 2) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    controller.abort();
    const error = await rejection(run);
    expect(error.code).toBe('LEAP_PLAYBOOK_CANCELLED');
    expect(runningBeforeCancel.filter((cmdline) => cmdline.startsWith('sleep 317'))).toHaveLength(2);
    expect(runningBeforeCancel.some((cmdline) => cmdline.includes('ansible-playbook'))).toBe(true);
    expect(processesWithEnv('LEAP_TEST_MARK', mark)).toEqual([]);
    expect(readFileSync(error.file ?? '', 'utf8')).toContain('(cancelled)');
  });

  it('kills the process group when Ansible does not stop on SIGINT within the grace delay', async () => {
    const dir = tempDir();
    const mark = randomUUID();
    const controller = new AbortController();
    // A wrapper that ignores SIGINT, as a hung openstack-ansible might.
    const command = [
      'python3',
      '-c',
      'import signal, subprocess, sys; signal.signal(signal.SIGINT, signal.SIG_IGN); sys.exit(subprocess.call(sys.argv[1:]))',
      'ansible-playbook',
    ];
    const run = runPlaybook(
      settings(dir, {
        command,
        env: { LEAP_TEST_MARK: mark },
        signal: controller.signal,
        killGraceMs: 1_000,
        onProgress: (event) => {
          if (event.kind === 'task') setTimeout(() => controller.abort(), 1_000);
        },
      }),
      { id: 'long', playbook: 'long.yml' },
    );
    expect((await rejection(run)).code).toBe('LEAP_PLAYBOOK_CANCELLED');
    expect(processesWithEnv('LEAP_TEST_MARK', mark)).toEqual([]);
  });

  it('retries a transient failure on the failed hosts only', async () => {
    const dir = tempDir();
    const events: ProgressEvent[] = [];
    const result = await runPlaybook(
      settings(dir, {
        retry: { retries: 2, unreachable: true, patterns: [/rate limit exceeded/], delayMs: 0 },
        onProgress: (event) => events.push(event),
      }),
      {
        id: 'clone',
        playbook: 'flaky.yml',
        extraVars: { flags_dir: dir, flaky_hosts: ['beta'], flaky_message: 'git clone: API rate limit exceeded' },
      },
    );
    expect(result.attempts).toHaveLength(2);
    expect(result.attempts[0]?.failedHosts).toEqual(['beta']);
    expect(result.attempts[1]?.argv).toContain('--limit');
    expect(result.attempts[1]?.argv[result.attempts[1].argv.indexOf('--limit') + 1]).toBe('beta');
    expect(Object.keys(result.attempts[1]?.recap ?? {})).toEqual(['beta']);
    expect(result.recap['beta']?.failed).toBe(0);
    expect(events).toContainEqual(expect.objectContaining({ kind: 'retry', attempt: 1, hosts: ['beta'] }));
    expect(readdirSync(join(dir, 'logs')).filter((name) => name.endsWith('clone-retry1.log'))).toHaveLength(1);
  });

  it('does not retry a failure that matches no transient pattern', async () => {
    const dir = tempDir();
    const error = await rejection(
      runPlaybook(
        settings(dir, {
          retry: { retries: 2, unreachable: true, patterns: [/rate limit exceeded/], delayMs: 0 },
        }),
        {
          id: 'clone',
          playbook: 'flaky.yml',
          extraVars: { flags_dir: dir, flaky_hosts: ['beta'], flaky_message: 'role not found' },
        },
      ),
    );
    expect(error.code).toBe('LEAP_PLAYBOOK_FAILED');
    expect(error.message).toContain('not retried: beta failed for a reason that is not a configured transient pattern');
    expect(readdirSync(join(dir, 'logs')).filter((name) => name.includes('retry'))).toEqual([]);
  });

  it('does not retry unreachable hosts unless the policy says so', async () => {
    const dir = tempDir();
    const inventory = writeInventory(dir, { web: ['alpha', 'gone'] }, { unreachable: ['gone'] });
    const error = await rejection(
      runPlaybook(
        settings(dir, {
          inventory: [inventory],
          retry: { retries: 1, unreachable: false, patterns: [/.*/], delayMs: 0 },
        }),
        { id: 'web', playbook: 'progress.yml' },
      ),
    );
    expect(error.message).toContain('not retried: gone was unreachable');
  });
});
