import { randomUUID } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { OsaDeployError } from './errors.js';
import { ProgressParser, type HostFailure, type ProgressCallback } from './progress-parser.js';
import { failedHosts, unreachableHosts, type Recap } from './recap.js';
import { noRetries, transientHosts, type RetryPolicy } from './retry-policy.js';
import { runSupervised } from './supervised-process.js';

/** How to reach Ansible; the CLI builds this once from leap.yaml and passes it to every run. */
export interface AnsibleSettings {
  /** argv prefix, e.g. ['openstack-ansible'] in production, ['ansible-playbook'] or a lab wrapper. */
  command: string[];
  /** Working folder of every run: the playbooks folder (production: /opt/rpc-openstack/openstack-ansible/playbooks). */
  playbooksDir: string;
  /** Each passed as `-i`; leave empty when the command sets its own inventory (openstack-ansible does). */
  inventory?: string[];
  /** Passed to every playbook as one JSON `-e` (the lab passes its root prefix and service command here). */
  extraVars?: Record<string, unknown>;
  /** Added to the current environment. */
  env?: Record<string, string>;
  /** Each run writes `<time>-<id>.log` (its output) and `<time>-<id>.ansible.log` (ANSIBLE_LOG_PATH) here. */
  logDir: string;
  signal?: AbortSignal;
  onProgress?: ProgressCallback;
  /** After SIGINT on cancellation, how long before the whole process group is killed. Default 15 s. */
  killGraceMs?: number;
  retry?: RetryPolicy;
}

/** One playbook run: a stable id (used for logs, progress and plan markers), the playbook and its arguments. */
export interface PlaybookItem {
  id: string;
  /** Relative to `playbooksDir`, or absolute (leap's own playbooks). */
  playbook: string;
  /** Extra command-line arguments, as an array (never a shell string). */
  args?: string[];
  /** `--limit` pattern. */
  limit?: string;
  /** Extra vars for this playbook only, merged over the settings' extra vars. */
  extraVars?: Record<string, unknown>;
}

export interface PlaybookAttempt {
  argv: string[];
  exitCode: number | undefined;
  recap: Recap;
  failedHosts: string[];
  unreachableHosts: string[];
  failures: HostFailure[];
  logFile: string;
  ansibleLogFile: string;
  durationMs: number;
}

export interface PlaybookResult {
  id: string;
  /** Every attempt, the first one unlimited (or limited as asked), retries limited to the hosts that failed. */
  attempts: PlaybookAttempt[];
  /** The recap of every host, each host's latest line winning. */
  recap: Recap;
  logFile: string;
  durationMs: number;
}

const TAIL_LINES = 15;

function safeName(id: string): string {
  return id.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^-+|-+$/g, '') || 'playbook';
}

function stamp(): string {
  return new Date().toISOString().replace(/[:.]/g, '-');
}

export function playbookArgv(settings: AnsibleSettings, item: PlaybookItem, limit: string | undefined): string[] {
  const argv = [...settings.command, item.playbook, ...(item.args ?? [])];
  for (const inventory of settings.inventory ?? []) argv.push('-i', inventory);
  if (limit !== undefined) argv.push('--limit', limit);
  const extraVars = { ...settings.extraVars, ...item.extraVars };
  if (Object.keys(extraVars).length > 0) argv.push('-e', JSON.stringify(extraVars));
  return argv;
}

function describeFailures(failures: readonly HostFailure[], hosts: readonly string[]): string {
  return hosts
    .map((host) => {
      const failure = failures.find((candidate) => candidate.host === host);
      return failure ? `${host} (task "${failure.task}": ${failure.message})` : host;
    })
    .join(', ');
}

function closeStream(stream: WriteStream): Promise<void> {
  return new Promise((resolve, reject) => stream.end((error?: Error | null) => (error ? reject(error) : resolve())));
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}

async function attempt(
  settings: AnsibleSettings,
  item: PlaybookItem,
  limit: string | undefined,
  suffix: string,
): Promise<{
  attempt: PlaybookAttempt;
  stderrTail: string;
  outputTail: string;
  cancelled: boolean;
  spawnError: Error | undefined;
}> {
  await mkdir(settings.logDir, { recursive: true });
  const base = join(settings.logDir, `${stamp()}-${safeName(item.id)}${suffix}`);
  const logFile = `${base}.log`;
  const ansibleLogFile = `${base}.ansible.log`;
  const argv = playbookArgv(settings, item, limit);
  const log = createWriteStream(logFile, { flags: 'a' });
  log.write(`# leap: ${JSON.stringify(argv)} in ${settings.playbooksDir}\n`);
  const parser = new ProgressParser(item.id, settings.onProgress);
  let tail: string[] = [];
  let stderrTail: string[] = [];
  const keepTail = (lines: string[], chunk: string): string[] =>
    [...lines, ...chunk.split('\n').filter((line) => line.trim() !== '')].slice(-TAIL_LINES);
  const result = await runSupervised(argv, {
    cwd: settings.playbooksDir,
    env: {
      ...(process.env as Record<string, string>),
      ...settings.env,
      ANSIBLE_LOG_PATH: ansibleLogFile,
      // The progress parser reads the default callback's text; colours and buffering would hide lines.
      ANSIBLE_STDOUT_CALLBACK: 'default',
      ANSIBLE_NOCOLOR: '1',
      ANSIBLE_FORCE_COLOR: '0',
      ANSIBLE_RETRY_FILES_ENABLED: 'False',
      PYTHONUNBUFFERED: '1',
      LEAP_RUN_ID: randomUUID(),
    },
    buffer: false,
    signal: settings.signal,
    killGraceMs: settings.killGraceMs ?? 15_000,
    onStdout: (chunk) => {
      log.write(chunk);
      parser.push(chunk);
      tail = keepTail(tail, chunk);
    },
    onStderr: (chunk) => {
      log.write(chunk);
      stderrTail = keepTail(stderrTail, chunk);
    },
  });
  parser.end();
  log.write(
    `\n# leap: exit ${result.exitCode ?? result.signal ?? 'none'} after ${result.durationMs} ms${result.cancelled ? ' (cancelled)' : ''}\n`,
  );
  await closeStream(log);
  return {
    attempt: {
      argv,
      exitCode: result.exitCode,
      recap: parser.recap,
      failedHosts: failedHosts(parser.recap),
      unreachableHosts: unreachableHosts(parser.recap),
      failures: parser.failures,
      logFile,
      ansibleLogFile,
      durationMs: result.durationMs,
    },
    stderrTail: stderrTail.join('\n'),
    outputTail: tail.join('\n'),
    cancelled: result.cancelled,
    spawnError: result.spawnError,
  };
}

function errorFor(item: PlaybookItem, run: Awaited<ReturnType<typeof attempt>>, retryNote: string): OsaDeployError {
  const { attempt: last } = run;
  const where = { file: last.logFile, step: item.id };
  const command = last.argv.join(' ');
  if (run.spawnError) {
    return new OsaDeployError(
      'LEAP_ANSIBLE_NOT_STARTED',
      `could not start ${last.argv[0]}: ${run.spawnError.message}`,
      {
        ...where,
        hint: 'check the ansible command configured in leap.yaml (is openstack-ansible bootstrapped on this deploy host?)',
        cause: run.spawnError,
      },
    );
  }
  if (run.cancelled) {
    return new OsaDeployError('LEAP_PLAYBOOK_CANCELLED', `${item.playbook} was cancelled; its log is ${last.logFile}`, {
      ...where,
      hint: 're-run leap to resume: this playbook runs again from its start',
    });
  }
  const failed = last.failedHosts;
  const unreachable = last.unreachableHosts;
  if (failed.length > 0 || unreachable.length > 0) {
    const parts: string[] = [];
    if (failed.length > 0) parts.push(`failed on ${describeFailures(last.failures, failed)}`);
    if (unreachable.length > 0) parts.push(`could not reach ${describeFailures(last.failures, unreachable)}`);
    const code = failed.length > 0 ? 'LEAP_PLAYBOOK_FAILED' : 'LEAP_HOSTS_UNREACHABLE';
    return new OsaDeployError(
      code,
      `${item.playbook} ${parts.join('; ')} (exit ${last.exitCode}); log: ${last.logFile}${retryNote}`,
      {
        ...where,
        host: failed[0] ?? unreachable[0],
        hosts: [...failed, ...unreachable],
        hint:
          unreachable.length > 0 && failed.length === 0
            ? `check that ${unreachable.join(', ')} ${unreachable.length === 1 ? 'is' : 'are'} up and reachable over SSH, then re-run leap to resume at this playbook`
            : 'read the log for the failed task, fix its cause, then re-run leap to resume at this playbook',
      },
    );
  }
  const tail = run.stderrTail || run.outputTail;
  return new OsaDeployError(
    'LEAP_PLAYBOOK_ERROR',
    `${command} exited with ${last.exitCode ?? 'no exit code'} before any host failed: ${tail || '(no output)'}; log: ${last.logFile}`,
    {
      ...where,
      hint:
        last.exitCode === 1
          ? 'the playbook is missing or the --limit matched no host: check the playbooks folder and the inventory'
          : 'Ansible could not run the playbook (syntax or option error): read the log',
    },
  );
}

/**
 * Runs one playbook with the configured command, streaming progress and writing the output to a log. Resolves
 * with the recap when Ansible exits 0; otherwise retries the failed hosts if the policy allows it, then throws an
 * OsaDeployError that names the failed and unreachable hosts, the failed task and the log file.
 */
export async function runPlaybook(settings: AnsibleSettings, item: PlaybookItem): Promise<PlaybookResult> {
  const policy = settings.retry ?? noRetries;
  const attempts: PlaybookAttempt[] = [];
  const recap: Recap = {};
  let limit = item.limit;
  for (let number = 0; ; number += 1) {
    const run = await attempt(settings, item, limit, number === 0 ? '' : `-retry${number}`);
    attempts.push(run.attempt);
    Object.assign(recap, run.attempt.recap);
    if (run.attempt.exitCode === 0 && !run.cancelled) {
      return {
        id: item.id,
        attempts,
        recap,
        logFile: run.attempt.logFile,
        durationMs: attempts.reduce((sum, a) => sum + a.durationMs, 0),
      };
    }
    let retryNote = '';
    if (!run.cancelled && !run.spawnError && number < policy.retries) {
      const decision = transientHosts(
        policy,
        run.attempt.failedHosts,
        run.attempt.unreachableHosts,
        run.attempt.failures,
      );
      if (decision.retry) {
        settings.onProgress?.({
          kind: 'retry',
          id: item.id,
          attempt: number + 1,
          hosts: decision.hosts,
          reason: decision.reason,
        });
        await sleep(policy.delayMs, settings.signal);
        if (!settings.signal?.aborted) {
          limit = decision.hosts.join(',');
          continue;
        }
      } else {
        retryNote = ` (not retried: ${decision.reason})`;
      }
    } else if (number > 0) {
      retryNote = ` (after ${number} ${number === 1 ? 'retry' : 'retries'})`;
    }
    throw errorFor(item, run, retryNote);
  }
}
