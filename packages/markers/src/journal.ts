import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import type PinoModule from 'pino';
import { DEFAULT_REDACT_KEYS, redact, type Redaction } from './redaction.js';

export const JOURNAL_FILE = 'leap-journal.jsonl';

export type JournalEvent =
  | 'run-started'
  | 'run-finished'
  | 'plan-changed'
  | 'lock-taken-over'
  | 'step-started'
  | 'step-completed'
  | 'step-skipped'
  | 'step-failed'
  | 'step-interrupted'
  | 'step-verified'
  | 'step-log'
  | 'prompt-answered';

/** An error as the journal holds it: enough to tell the operator what failed, never a secret. */
export interface JournalError {
  name: string;
  message: string;
  code?: string;
  hint?: string;
  file?: string;
  host?: string;
  stack?: string;
}

/** One JSONL line. `time` is ISO 8601; other fields depend on the event. */
export interface JournalEntry {
  level: 'debug' | 'info' | 'warn' | 'error';
  time: string;
  pid: number;
  hostname: string;
  event: JournalEvent;
  msg: string;
  runId?: string;
  step?: string;
  durationMs?: number;
  error?: JournalError;
  [field: string]: unknown;
}

export interface JournalOptions {
  /** The JSONL file; default `<dir>/leap-journal.jsonl`. */
  file?: string;
  /** Key names whose values are replaced by "[redacted]" at any depth (case-insensitive substring). */
  redactKeys?: readonly string[];
  /** Secret values scrubbed from every string written (passwords read from user_secrets.yml, ...). */
  secrets?: Iterable<string>;
}

/**
 * The append-only journal next to the markers. Each line is written synchronously (pino's sync destination),
 * so the last line before a crash is on disk.
 */
export interface Journal {
  readonly file: string;
  record(event: JournalEvent, msg: string, fields?: Record<string, unknown>, level?: JournalEntry['level']): void;
  /** Adds a secret value to scrub from everything written from now on. */
  addSecret(value: string): void;
  close(): void;
}

export function journalPath(dir: string): string {
  return join(dir, JOURNAL_FILE);
}

export function errorForJournal(error: unknown): JournalError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const e = error as Error & { code?: unknown; hint?: unknown; file?: unknown; host?: unknown };
  const out: JournalError = { name: e.name, message: e.message };
  if (typeof e.code === 'string') out.code = e.code;
  if (typeof e.hint === 'string') out.hint = e.hint;
  if (typeof e.file === 'string') out.file = e.file;
  if (typeof e.host === 'string') out.host = e.host;
  if (e.stack !== undefined) out.stack = e.stack;
  return out;
}

export function openJournal(dir: string, options: JournalOptions = {}): Journal {
  const file = options.file ?? journalPath(dir);
  const redaction: Redaction & { secrets: Set<string> } = {
    keys: options.redactKeys ?? DEFAULT_REDACT_KEYS,
    secrets: new Set(options.secrets ?? []),
  };
  // Loaded only by the writer: `leap status` and `leap plan` read the journal and never pay for pino.
  const pino = createRequire(import.meta.url)('pino') as typeof PinoModule;
  const destination = pino.destination({ dest: file, sync: true, mkdir: true, append: true });
  const logger = pino(
    {
      level: 'debug',
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
  let closed = false;
  return {
    file,
    record(event, msg, fields = {}, level = 'info') {
      if (closed) return;
      const clean = redact({ ...fields, event }, redaction) as Record<string, unknown>;
      logger[level](clean, redact(msg, redaction) as string);
    },
    addSecret(value) {
      if (value !== '') redaction.secrets.add(value);
    },
    close() {
      if (closed) return;
      closed = true;
      destination.flushSync();
      destination.end();
    },
  };
}

/** Every entry of a journal; a line torn by a crash mid-write is skipped and counted. */
export async function readJournal(file: string): Promise<{ entries: JournalEntry[]; unreadableLines: number }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { entries: [], unreadableLines: 0 };
    throw error;
  }
  const entries: JournalEntry[] = [];
  let unreadableLines = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const value = JSON.parse(line) as JournalEntry;
      if (value !== null && typeof value === 'object' && typeof value.event === 'string') entries.push(value);
      else unreadableLines += 1;
    } catch {
      unreadableLines += 1;
    }
  }
  return { entries, unreadableLines };
}
