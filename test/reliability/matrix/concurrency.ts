import { writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect, it } from 'vitest';
import { journalOffset, journalSince } from '../support/journal.js';
import { markerDirOf, runArgs } from '../support/lab.js';
import { compareDigests, describeChanges, leap, processesMentioning, startLeap } from '@leap/test-fixtures';
import { ansibleCommand } from './edit.js';
import { isRunRecord, labDigest } from './lab-state.js';
import type { GroupEnvironment } from './suite.js';

/**
 * Two `leap run` on one lab at once. The first blocks in its first playbook (Ansible replaced by a process that
 * waits); the second must be refused with exit 3, naming the first's pid, host and command, and change nothing.
 * Then Ctrl-C stops the first: exit 130, the step journaled as interrupted, no child left.
 */
export function concurrencyTests(group: GroupEnvironment): void {
  it("two leap runs at once: the second is refused with the owner's details and changes nothing; Ctrl-C stops the first cleanly", async () => {
    group.restore();
    const { lab } = group.ctx();
    const waiting = join(lab.dir, 'bin', 'waiting-ansible');
    writeFileSync(
      waiting,
      '#!/bin/sh\n# stands for a long playbook: waits, its own path in its command line\nexec python3 -c "import sys, time; time.sleep(600)" "$0"\n',
      { mode: 0o755 },
    );
    ansibleCommand(lab, [waiting]);
    const first = startLeap(runArgs(lab));
    try {
      await first.waitForLine(/^▶ \[\d+\/\d+\] liberty\/hostnames:/, { timeoutMs: 120_000 });
      for (let waited = 0; processesMentioning(waiting).length === 0; waited += 100) {
        if (waited > 30_000) throw new Error('the waiting playbook never started');
        await sleep(100);
      }
      const before = await labDigest(lab);
      const offset = journalOffset(markerDirOf(lab));
      const second = await leap(runArgs(lab));
      const shown = second.all ?? '';
      expect(second.exitCode, shown).toBe(3);
      expect(shown).toContain('LEAP_LOCKED');
      expect(shown).toContain(`pid ${first.pid} on ${hostname()}`);
      expect(shown).toContain(`command "leap ${runArgs(lab).join(' ')}"`);
      expect(second.stderr).toMatch(/^hint .*only one leap may run/m);
      const changes = describeChanges(compareDigests(before, await labDigest(lab))).filter(
        (c) => !isRunRecord(c.slice(1)),
      );
      expect(changes, 'the refused run changed the lab').toEqual([]);
      const fromOthers = journalSince(markerDirOf(lab), offset).entries.filter((e) => e.pid !== first.pid);
      expect(fromOthers, 'the refused run wrote to the journal').toEqual([]);

      first.signalGroup('SIGINT');
      const exit = await first.exited;
      expect(exit.exitCode, exit.all).toBe(130);
      expect(exit.stderr).toContain('leap: interrupted during step liberty/hostnames');
      expect(processesMentioning(lab.dir), 'children left after Ctrl-C').toEqual([]);
      const entries = journalSince(markerDirOf(lab), offset).entries;
      expect(entries.filter((e) => e.event === 'step-interrupted').map((e) => e.step)).toEqual(['liberty/hostnames']);
    } finally {
      first.signalGroup('SIGKILL');
    }
  });
}
