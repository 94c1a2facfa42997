import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type Result, type ResultPromise } from 'execa';
import { DumpRowCounter } from './dump-rows.js';

export interface Exit { code: number | null; signal: NodeJS.Signals | null; stderr: string; error?: Error }
export interface DumpGzipResult { counts: Map<string, number>; dump: Exit; tee: Exit; gzip: Exit }

/**
 * Runs `argv` (a dump to stdout) | tee <fifo> | gzip -<level> > `path` (created, never replaced). The dump and
 * the compressed bytes go from process to process through the kernel; this process only reads the fifo into
 * one reused buffer to count the rows, so its memory stays flat and compression runs on another core.
 */
export async function dumpThroughGzip(argv: readonly string[], path: string, level: number, signal?: AbortSignal, onBytes?: (bytes: number) => void): Promise<DumpGzipResult> {
  const [command, ...args] = argv;
  if (command === undefined) throw new TypeError('dumpThroughGzip: empty argv');
  const temp = await mkdtemp(join(tmpdir(), 'leap-dump-'));
  const fifo = join(temp, 'rows');
  await execa('mkfifo', ['-m', '600', fifo]);
  const file = await open(path, 'wx');
  try {
    const common = { reject: false, cancelSignal: signal, encoding: 'utf8', stripFinalNewline: true } as const;
    // Single native stdio values (a file descriptor, another process's pipe) are handed to the child as they are.
    const gzip = execa('gzip', [`-${level}`, '-c'], { ...common, stdin: 'pipe', stdout: file.fd as unknown as 'pipe', stderr: 'pipe' });
    const tee = execa('tee', [fifo], { ...common, stdin: 'pipe', stdout: gzip.stdin as unknown as 'pipe', stderr: 'pipe' });
    gzip.stdin.destroy();
    const dump = execa(command, args, { ...common, stdin: 'ignore', stdout: tee.stdin as unknown as 'pipe', stderr: 'pipe' });
    tee.stdin.destroy();
    const exits = Promise.all([exited(dump), exited(tee), exited(gzip)]);
    // If tee never starts, nothing opens the fifo for writing: open it here so the reader sees its end.
    void exits.then(([, t]) => (t.error ? open(fifo, constants.O_WRONLY | constants.O_NONBLOCK).then((h) => h.close()) : undefined)).catch(() => undefined);
    const counts = await countRows(fifo, onBytes);
    const [dumpExit, teeExit, gzipExit] = await exits;
    return { counts, dump: dumpExit, tee: teeExit, gzip: gzipExit };
  } finally {
    await file.close();
    await rm(temp, { recursive: true, force: true });
  }
}

async function countRows(fifo: string, onBytes?: (bytes: number) => void): Promise<Map<string, number>> {
  const counter = new DumpRowCounter();
  const reader = await open(fifo, 'r');
  try {
    const buf = Buffer.allocUnsafe(2 ** 18);
    let bytes = 0;
    for (;;) {
      const { bytesRead } = await reader.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      counter.scan(buf.subarray(0, bytesRead));
      bytes += bytesRead;
      onBytes?.(bytes);
    }
  } finally {
    await reader.close();
  }
  return counter.counts;
}

/** sha256 and size of a file, read back from disk (what the manifest records is what was written), in one reused buffer. */
export async function hashFile(path: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  const file = await open(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(2 ** 18);
    let bytes = 0;
    for (let n = (await file.read(buf, 0, buf.length, null)).bytesRead; n > 0; n = (await file.read(buf, 0, buf.length, null)).bytesRead) {
      hash.update(buf.subarray(0, n));
      bytes += n;
    }
    return { sha256: hash.digest('hex'), bytes };
  } finally {
    await file.close();
  }
}

async function exited(child: ResultPromise): Promise<Exit> {
  const r = (await child) as Result;
  const stderr = typeof r.stderr === 'string' ? r.stderr.slice(-4000) : '';
  // A command that could not start has no exit code.
  const error = r.exitCode === undefined && r.signal === undefined ? new Error(r.shortMessage) : undefined;
  return { code: r.exitCode ?? null, signal: r.signal ?? null, stderr, ...(error ? { error } : {}) };
}
