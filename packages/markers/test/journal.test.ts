import { readFileSync, writeFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '@leap/test-fixtures';
import { LeapError } from '@leap/contract';
import { errorForJournal, openJournal, readJournal } from '../src/index.js';

describe('journal', () => {
  it('appends one JSON line per event, on disk as soon as record returns', () => {
    const dir = tempDir();
    const journal = openJournal(dir);
    journal.record('run-started', 'run started', { runId: 'r1', source: 'kilo' });
    // Synchronous destination: readable before close.
    const lines = readFileSync(join(dir, 'leap-journal.jsonl'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] as string)).toMatchObject({
      level: 'info',
      event: 'run-started',
      runId: 'r1',
      source: 'kilo',
      msg: 'run started',
      pid: process.pid,
    });
    expect((JSON.parse(lines[0] as string) as { time: string }).time).toMatch(/^\d{4}-\d\d-\d\dT/);
    journal.close();
  });

  it('appends to an existing journal rather than replacing it', async () => {
    const dir = tempDir();
    const first = openJournal(dir);
    first.record('run-started', 'one', { runId: 'a' });
    first.close();
    const second = openJournal(dir);
    second.record('run-started', 'two', { runId: 'b' });
    second.close();
    expect((await readJournal(join(dir, 'leap-journal.jsonl'))).entries.map((e) => e.runId)).toEqual(['a', 'b']);
  });

  it('never writes secret values or the values of secret-looking keys, at any depth', () => {
    const dir = tempDir();
    const journal = openJournal(dir, { secrets: ['s3cr3t-galera'] });
    journal.addSecret('keystone-pw-42');
    journal.record('prompt-answered', 'vault password given: s3cr3t-galera', {
      answer: 'YES',
      env: { DB_PASSWORD: 'plain', nested: [{ keystone_auth_admin_password: 'x', note: 'uses keystone-pw-42 here' }] },
      token: 'abc',
    });
    journal.record(
      'step-failed',
      'failed',
      { error: errorForJournal(new LeapError('LEAP_X', 'mysql -pkeystone-pw-42 failed')) },
      'error',
    );
    journal.close();
    const text = readFileSync(join(dir, 'leap-journal.jsonl'), 'utf8');
    for (const secret of ['s3cr3t-galera', 'keystone-pw-42', '"plain"', '"abc"']) expect(text).not.toContain(secret);
    expect(text).toContain('[redacted]');
    expect(text).toContain('"answer":"YES"');
  });

  it('reads back entries and skips a line torn by a crash', async () => {
    const dir = tempDir();
    const file = join(dir, 'leap-journal.jsonl');
    writeFileSync(file, '');
    const journal = openJournal(dir);
    journal.record('step-started', 'started', { runId: 'r', step: 'kilo/backup' });
    journal.close();
    appendFileSync(file, '{"level":"info","event":"step-compl');
    const read = await readJournal(file);
    expect(read.entries.map((e) => e.event)).toEqual(['step-started']);
    expect(read.unreadableLines).toBe(1);
  });

  it('reads a missing journal as empty', async () => {
    expect(await readJournal(join(tempDir(), 'none.jsonl'))).toEqual({ entries: [], unreadableLines: 0 });
  });
});
