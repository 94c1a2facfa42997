import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface JournalLine {
  event: string;
  step?: string;
  pid?: number;
  msg?: string;
  [field: string]: unknown;
}

export function journalFile(markerDir: string): string {
  return join(markerDir, 'leap-journal.jsonl');
}

/** The journal's size now: pass it to `journalSince` to read only what a later run wrote. */
export function journalOffset(markerDir: string): number {
  const file = journalFile(markerDir);
  return existsSync(file) ? statSync(file).size : 0;
}

/** Entries written after `offset`, and the lines that are not JSON (a torn write). */
export function journalSince(markerDir: string, offset = 0): { entries: JournalLine[]; torn: string[] } {
  const file = journalFile(markerDir);
  if (!existsSync(file)) return { entries: [], torn: [] };
  const text = readFileSync(file).subarray(offset).toString('utf8');
  const entries: JournalLine[] = [];
  const torn: string[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      entries.push(JSON.parse(line) as JournalLine);
    } catch {
      torn.push(line);
    }
  }
  return { entries, torn };
}

/** Where a run stopped, from its journal entries: inside a step, or between steps after one completed. */
export function whereStopped(entries: readonly JournalLine[]): { during?: string; after?: string } {
  for (let i = entries.length - 1; i >= 0; i--) {
    const entry = entries[i]!;
    if (entry.event === 'step-started') return { during: entry.step };
    if (entry.event === 'step-completed' || entry.event === 'step-skipped') return { after: entry.step };
  }
  return {};
}
