import { createHash } from 'node:crypto';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { setTimeout as sleep } from 'node:timers/promises';
import { DbMigrateError } from '../errors.js';
import type { OnProgress } from '../progress.js';
import { sha256OfFile } from './sha256-file.js';

/** Where a release's migration venv tarball comes from: a URL or a file on the deploy host, with its sha256. */
export type VenvTarballSource = { sha256: string } & ({ url: string; file?: never } | { file: string; url?: never });

export interface ObtainTarballOptions {
  source: VenvTarballSource;
  /** Downloads are kept here, once each (`<cacheDir>/<the URL's file name>`), and reused while their sha256 matches. */
  cacheDir: string;
  /** What the tarball is for, in messages: e.g. `liberty migration venv`. */
  what: string;
  attempts?: number;
  /** The wait before the second attempt; doubled before each further one. */
  backoffMs?: number;
  signal?: AbortSignal;
  onProgress?: OnProgress;
}

export interface ObtainedTarball {
  file: string;
  sha256: string;
  bytes: number;
  /** False when a file was given, or a download of an earlier run was reused. */
  downloaded: boolean;
}

/**
 * The tarball, checked against its sha256. A file given is only read. A URL is downloaded to `<name>.partial`
 * with retries and backoff on network errors and 5xx/408/429, and renamed into place only once its sha256 matches;
 * a download that does not match is kept as `<name>.rejected` for inspection and never used.
 */
export async function obtainVenvTarball(options: ObtainTarballOptions): Promise<ObtainedTarball> {
  const { source } = options;
  const expected = source.sha256.toLowerCase();
  if (source.file !== undefined) {
    if (!existsSync(source.file)) {
      throw new DbMigrateError(
        'LEAP_VENV_SOURCE_MISSING',
        `the ${options.what} tarball ${source.file} does not exist`,
        {
          file: source.file,
          hint: 'copy the tarball there (or fix migrationVenvs.<release>.file in leap.yaml)',
        },
      );
    }
    const { sha256, bytes } = await sha256OfFile(source.file, options.signal);
    if (sha256 !== expected) throw mismatch(options.what, source.file, expected, sha256);
    return { file: source.file, sha256, bytes, downloaded: false };
  }
  const file = join(options.cacheDir, basename(new URL(source.url).pathname) || 'venv.tgz');
  if (existsSync(file)) {
    const cached = await sha256OfFile(file, options.signal);
    if (cached.sha256 === expected) return { file, ...cached, downloaded: false };
    await rename(file, `${file}.rejected`);
  }
  await mkdir(options.cacheDir, { recursive: true });
  const sha256 = await downloadWithRetry(source.url, `${file}.partial`, options);
  if (sha256.sha256 !== expected) {
    await rename(`${file}.partial`, `${file}.rejected`);
    throw mismatch(options.what, `${file}.rejected`, expected, sha256.sha256, source.url);
  }
  await rename(`${file}.partial`, file);
  return { file, ...sha256, downloaded: true };
}

function mismatch(what: string, file: string, expected: string, actual: string, url?: string): DbMigrateError {
  const from = url === undefined ? '' : ` (downloaded from ${url})`;
  return new DbMigrateError(
    'LEAP_VENV_SHA256_MISMATCH',
    `the ${what} tarball ${file}${from} has sha256 ${actual}, not the ${expected} leap.yaml expects; nothing was unpacked`,
    {
      file,
      hint: 'the file is damaged, truncated or another build: fetch it again from its source, or correct the sha256 in leap.yaml if the build is the one you mean',
    },
  );
}

async function downloadWithRetry(
  url: string,
  partial: string,
  options: ObtainTarballOptions,
): Promise<{ sha256: string; bytes: number }> {
  const attempts = options.attempts ?? 4;
  let wait = options.backoffMs ?? 2000;
  let lastReason = '';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const outcome = await downloadOnce(url, partial, attempt, options);
    if ('sha256' in outcome) return outcome;
    lastReason = outcome.reason;
    if (!outcome.retry || attempt === attempts) break;
    await sleep(wait, undefined, { signal: options.signal });
    wait *= 2;
  }
  await rm(partial, { force: true });
  throw new DbMigrateError(
    'LEAP_VENV_DOWNLOAD_FAILED',
    `cannot download the ${options.what} from ${url}: ${lastReason}`,
    {
      host: new URL(url).host,
      hint: 'check that this host reaches it (proxy, DNS, firewall); or download it on another machine, copy it here and set migrationVenvs.<release>.file in leap.yaml',
    },
  );
}

type DownloadOutcome = { sha256: string; bytes: number } | { reason: string; retry: boolean };

async function downloadOnce(
  url: string,
  partial: string,
  attempt: number,
  options: ObtainTarballOptions,
): Promise<DownloadOutcome> {
  let response: Response;
  try {
    response = await fetch(url, options.signal === undefined ? {} : { signal: options.signal });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    return { reason: describeFetchError(error), retry: true };
  }
  if (!response.ok || response.body === null) {
    await response.body?.cancel();
    const retry = response.status >= 500 || response.status === 408 || response.status === 429;
    return { reason: `HTTP ${response.status} ${response.statusText}`.trim(), retry };
  }
  const hash = createHash('sha256');
  let bytes = 0;
  const count = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      bytes += chunk.length;
      options.onProgress?.({ kind: 'venv-download', url, attempt, bytes });
      done(null, chunk);
    },
  });
  try {
    const body = Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
    await pipeline(body, count, createWriteStream(partial, { flush: true }), { signal: options.signal });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    return { reason: `the transfer broke after ${bytes} bytes: ${describeFetchError(error)}`, retry: true };
  }
  return { sha256: hash.digest('hex'), bytes };
}

function describeFetchError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } } | null)?.cause;
  if (cause?.code !== undefined) return `${cause.code}${cause.message ? ` (${cause.message})` : ''}`;
  return error instanceof Error ? error.message : String(error);
}
