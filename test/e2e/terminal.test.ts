import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leap, leapBin, makeTempDir, processesMentioning, readLabJson, type LabJson } from '@leap/test-fixtures';

/**
 * `leap run` at a real terminal: a tmux pane of 80 x 24 (a pseudo-terminal with a terminal emulator behind it),
 * read as the operator sees it, and Ctrl-C typed into it: the terminal sends SIGINT to the whole foreground
 * process group, not to leap alone.
 */
const SETTLE_MS = 2000;

describe('leap run at an 80 x 24 terminal', () => {
  const socket = `leap-e2e-${process.pid}`;
  let base: string;
  let lab: LabJson;
  let runs = 0;
  const tmux = (...args: string[]) => execa('tmux', ['-L', socket, ...args]);
  const screen = async () => (await tmux('capture-pane', '-p', '-t', 'leap')).stdout;
  const journal = () =>
    readFileSync(join(lab.paths.deployDir, 'upgrade-leap', 'leap-journal.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { event?: string; step?: string; time: string; outcome?: string });

  /**
   * Starts `leap run` in the pane through a script outside the lab (its command line must not name the lab). The
   * script traps SIGINT (a handler, not an ignore, so leap gets the default disposition) to outlive the Ctrl-C
   * and record leap's exit code.
   */
  const startRun = async (): Promise<string> => {
    runs += 1;
    const exitFile = join(base, `exit-${runs}`);
    const script = join(base, `run-${runs}.sh`);
    writeFileSync(
      script,
      `#!/bin/sh\ntrap true INT\n"${process.execPath}" "${leapBin}" --config "${lab.paths.leapYaml}" run --confirm-source kilo --confirm-redeploy\necho $? > "${exitFile}"\n`,
    );
    await tmux('send-keys', '-t', 'leap', 'clear', 'Enter');
    await tmux('send-keys', '-t', 'leap', `sh ${script}`, 'Enter');
    return exitFile;
  };

  /** Samples the screen until `until` says stop or the run ends; each sample checked against the journal. */
  const watch = async (exitFile: string, until: (text: string) => boolean = () => false) => {
    const samples: Array<{ text: string; from: number; to: number }> = [];
    while (!existsSync(exitFile)) {
      const from = Date.now();
      const text = await screen();
      samples.push({ text, from, to: Date.now() });
      if (until(text)) break;
      await sleep(250);
    }
    return samples;
  };

  /** Every sample taken while a step ran (started before it, ended after it) shows that step's id. */
  const expectRunningStepAlwaysShown = (samples: Array<{ text: string; from: number; to: number }>) => {
    // This run's entries only: a run stopped at once (a second Ctrl-C) journaled no end for its last step.
    const entries = journal().filter((e) => Date.parse(e.time) >= (samples[0]?.from ?? 0));
    let checked = 0;
    for (const sample of samples) {
      // A step counts once it has run for a while: the view is drawn just after the journal line, and a loaded
      // machine (CI runs four labs at once) delays both leap's drawing and tmux's reading of it.
      const running = entries.filter((e) => e.event === 'step-started' && Date.parse(e.time) < sample.from - SETTLE_MS);
      const last = running.at(-1);
      if (last === undefined) continue;
      const ended = entries.find(
        (e) =>
          e.step === last.step && e.event !== 'step-started' && e.event !== undefined && e.event.startsWith('step-'),
      );
      if (ended !== undefined && Date.parse(ended.time) <= sample.to) continue;
      checked += 1;
      expect(sample.text.split('\n').length, sample.text).toBeLessThanOrEqual(24);
      expect(sample.text, `while ${last.step} ran`).toMatch(
        new RegExp(`▶ \\[\\d+/\\d+\\] ${last.step!.replace('/', '\\/')}`),
      );
    }
    return checked;
  };

  /** Types Ctrl-C once `step` is on screen as the running step, and checks the clean stop. */
  const interruptDuring = async (step: string) => {
    const exitFile = await startRun();
    const samples = await watch(exitFile, (text) => text.includes(`] ${step} `));
    await tmux('send-keys', '-t', 'leap', 'C-c');
    for (let i = 0; i < 200 && !existsSync(exitFile); i++) await sleep(100);
    const text = await screen();
    expect(readFileSync(exitFile, 'utf8').trim(), text).toBe('130');
    expect(text).toMatch(/resume with: leap --config \S+ run/);
    const interrupted = journal().filter((e) => e.event === 'step-interrupted');
    expect(interrupted.at(-1)?.step, text).toBe(step);
    expect(journal().at(-1)).toMatchObject({ event: 'run-finished', outcome: 'interrupted' });
    expect(existsSync(join(lab.paths.deployDir, 'upgrade-leap', 'leap.lock'))).toBe(false);
    expect(processesMentioning(lab.dir)).toEqual([]);
    return expectRunningStepAlwaysShown(samples);
  };

  beforeAll(async () => {
    base = makeTempDir('leap-e2e-tty-');
    const created = await leap(['lab', 'create', join(base, 'lab'), '--single-db']);
    expect(created.exitCode, created.all).toBe(0);
    lab = readLabJson(join(base, 'lab'));
    await tmux('new-session', '-d', '-s', 'leap', '-x', '80', '-y', '24', 'sh');
    await tmux('set-option', '-g', 'status', 'off');
  });

  afterAll(async () => {
    await tmux('kill-server').catch(() => undefined);
    if (lab) await leap(['lab', 'destroy', lab.dir]);
    rmSync(base, { recursive: true, force: true });
  });

  it('stops cleanly on Ctrl-C during the database backup: exit 130, journaled, lock released, no dump left', async () => {
    await interruptDuring('db/backup');
  });

  it('stops cleanly on Ctrl-C during a playbook, resuming without --force-unlock', async () => {
    await interruptDuring('services/power-down');
  });

  it('stops at once on a second Ctrl-C, still releasing the lock, leaving no ansible-playbook behind', async () => {
    const step = 'newton/redeploy/openstack-hosts-setup';
    const exitFile = await startRun();
    await watch(exitFile, (text) => text.includes(`] ${step} `));
    await tmux('send-keys', '-t', 'leap', 'C-c');
    await tmux('send-keys', '-t', 'leap', 'C-c');
    for (let i = 0; i < 200 && !existsSync(exitFile); i++) await sleep(100);
    expect(readFileSync(exitFile, 'utf8').trim(), await screen()).toBe('130');
    for (const name of ['leap.lock', 'leap.lock.json']) {
      expect(existsSync(join(lab.paths.deployDir, 'upgrade-leap', name)), name).toBe(false);
    }
    // The watchdog of each playbook stops its process group once leap is gone.
    for (let i = 0; i < 100 && processesMentioning(lab.dir).length > 0; i++) await sleep(100);
    expect(processesMentioning(lab.dir)).toEqual([]);
  });

  it('resumes and completes, the running step on screen at every sample, never taller than the terminal', async () => {
    const exitFile = await startRun();
    const samples = await watch(exitFile);
    expect(readFileSync(exitFile, 'utf8').trim(), await screen()).toBe('0');
    expect(expectRunningStepAlwaysShown(samples)).toBeGreaterThan(20);
    expect(await screen()).toMatch(/complete \(\d+ steps run, \d+ already done\)/);
  });
});
