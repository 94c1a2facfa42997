import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '@leap/test-fixtures';
import { obtainVenvTarball } from '../src/venvs/obtain-tarball.js';
import type { ProgressEvent } from '../src/progress.js';

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');
const NAME = 'liberty-venv.tgz';
const WHAT = 'liberty migration venv';

interface TarballServer {
  url: string;
  host: string;
  /** How many requests reached the server. */
  requests(): number;
}

const servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A real HTTP server on 127.0.0.1; `answer` gets the 1-based number of each request. */
async function serve(answer: (n: number, req: IncomingMessage, res: ServerResponse) => void): Promise<TarballServer> {
  let count = 0;
  const server = createServer((req, res) => answer(++count, req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push({
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/venvs/${NAME}`, host: `127.0.0.1:${port}`, requests: () => count };
}

function sendBytes(res: ServerResponse, body: Buffer): void {
  res.writeHead(200, { 'content-type': 'application/gzip', 'content-length': body.length });
  res.end(body);
}

function sendStatus(res: ServerResponse, status: number): void {
  res.writeHead(status, { 'content-type': 'text/plain' });
  res.end(`status ${status}\n`);
}

describe('obtainVenvTarball from a file', () => {
  it('returns a file whose sha256 matches, without downloading', async () => {
    const dir = tempDir();
    const body = randomBytes(4096);
    const file = join(dir, NAME);
    writeFileSync(file, body);
    const result = await obtainVenvTarball({
      source: { file, sha256: sha256(body).toUpperCase() },
      cacheDir: join(dir, 'cache'),
      what: WHAT,
    });
    expect(result).toEqual({ file, sha256: sha256(body), bytes: body.length, downloaded: false });
    expect(readFileSync(file).equals(body)).toBe(true);
    expect(existsSync(join(dir, 'cache'))).toBe(false);
  });

  it('fails with LEAP_VENV_SHA256_MISMATCH naming the file and both hashes', async () => {
    const dir = tempDir();
    const body = randomBytes(1024);
    const file = join(dir, NAME);
    writeFileSync(file, body);
    const expected = sha256(Buffer.from('another build'));
    const error = await obtainVenvTarball({
      source: { file, sha256: expected },
      cacheDir: join(dir, 'cache'),
      what: WHAT,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'DbMigrateError', code: 'LEAP_VENV_SHA256_MISMATCH', file });
    const message = (error as Error).message;
    expect(message).toContain(file);
    expect(message).toContain(expected);
    expect(message).toContain(sha256(body));
    expect(message).toContain('nothing was unpacked');
    // A file given is only read: it stays where it is, unchanged, and nothing is renamed beside it.
    expect(readdirSync(dir)).toEqual([NAME]);
    expect(readFileSync(file).equals(body)).toBe(true);
  });

  it('fails with LEAP_VENV_SOURCE_MISSING naming a file that does not exist', async () => {
    const dir = tempDir();
    const file = join(dir, 'nowhere', NAME);
    const error = await obtainVenvTarball({
      source: { file, sha256: sha256(Buffer.from('x')) },
      cacheDir: join(dir, 'cache'),
      what: WHAT,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'DbMigrateError', code: 'LEAP_VENV_SOURCE_MISSING', file });
    expect((error as Error).message).toContain(file);
    expect((error as Error).message).toContain(WHAT);
  });
});

describe('obtainVenvTarball from a URL', () => {
  it('downloads into the cache once and reuses the download while its sha256 matches', async () => {
    const body = randomBytes(64 * 1024);
    const server = await serve((_n, _req, res) => sendBytes(res, body));
    const cacheDir = join(tempDir(), 'cache');
    const options = { source: { url: server.url, sha256: sha256(body) }, cacheDir, what: WHAT };

    const first = await obtainVenvTarball(options);
    expect(first).toEqual({ file: join(cacheDir, NAME), sha256: sha256(body), bytes: body.length, downloaded: true });
    expect(readFileSync(first.file).equals(body)).toBe(true);
    expect(readdirSync(cacheDir)).toEqual([NAME]);
    expect(server.requests()).toBe(1);

    const second = await obtainVenvTarball(options);
    expect(second).toEqual({ ...first, downloaded: false });
    expect(server.requests()).toBe(1);
    expect(readdirSync(cacheDir)).toEqual([NAME]);
  });

  it('downloads again when the cached file does not match, keeping the old one as .rejected', async () => {
    const body = randomBytes(8 * 1024);
    const server = await serve((_n, _req, res) => sendBytes(res, body));
    const cacheDir = tempDir();
    const stale = Buffer.from('a truncated earlier download');
    writeFileSync(join(cacheDir, NAME), stale);

    const result = await obtainVenvTarball({ source: { url: server.url, sha256: sha256(body) }, cacheDir, what: WHAT });
    expect(result).toMatchObject({ file: join(cacheDir, NAME), downloaded: true });
    expect(readFileSync(join(cacheDir, NAME)).equals(body)).toBe(true);
    expect(readFileSync(join(cacheDir, `${NAME}.rejected`)).equals(stale)).toBe(true);
    expect(server.requests()).toBe(1);
  });

  it('retries 503 answers with backoff and succeeds on the third attempt', async () => {
    const body = randomBytes(4096);
    const server = await serve((n, _req, res) => (n <= 2 ? sendStatus(res, 503) : sendBytes(res, body)));
    const cacheDir = tempDir();
    const events: ProgressEvent[] = [];
    const result = await obtainVenvTarball({
      source: { url: server.url, sha256: sha256(body) },
      cacheDir,
      what: WHAT,
      backoffMs: 10,
      onProgress: (event) => events.push(event),
    });
    expect(result).toMatchObject({ sha256: sha256(body), bytes: body.length, downloaded: true });
    expect(server.requests()).toBe(3);
    // Only the third attempt carried a body.
    expect(new Set(events.map((e) => (e.kind === 'venv-download' ? e.attempt : undefined)))).toEqual(new Set([3]));
    expect(readdirSync(cacheDir)).toEqual([NAME]);
  });

  it('does not retry a 404 and fails with LEAP_VENV_DOWNLOAD_FAILED naming the host, leaving nothing behind', async () => {
    const server = await serve((_n, _req, res) => sendStatus(res, 404));
    const cacheDir = tempDir();
    const error = await obtainVenvTarball({
      source: { url: server.url, sha256: sha256(Buffer.from('x')) },
      cacheDir,
      what: WHAT,
      backoffMs: 10,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'DbMigrateError', code: 'LEAP_VENV_DOWNLOAD_FAILED', host: server.host });
    expect((error as Error).message).toContain(server.url);
    expect((error as Error).message).toContain('HTTP 404');
    expect(server.requests()).toBe(1);
    expect(readdirSync(cacheDir)).toEqual([]);
  });

  it('gives up after the given number of attempts when the server keeps answering 500', async () => {
    const server = await serve((_n, _req, res) => sendStatus(res, 500));
    const cacheDir = tempDir();
    const error = await obtainVenvTarball({
      source: { url: server.url, sha256: sha256(Buffer.from('x')) },
      cacheDir,
      what: WHAT,
      attempts: 3,
      backoffMs: 10,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'LEAP_VENV_DOWNLOAD_FAILED', host: server.host });
    expect((error as Error).message).toContain('HTTP 500');
    expect(server.requests()).toBe(3);
    expect(readdirSync(cacheDir)).toEqual([]);
  });

  it('retries a transfer that breaks mid-body and keeps only the complete download', async () => {
    const body = randomBytes(256 * 1024);
    const server = await serve((n, req, res) => {
      if (n > 1) return sendBytes(res, body);
      res.writeHead(200, { 'content-type': 'application/gzip', 'content-length': body.length });
      res.write(body.subarray(0, body.length / 2), () => req.socket.destroy());
    });
    const cacheDir = tempDir();
    const result = await obtainVenvTarball({
      source: { url: server.url, sha256: sha256(body) },
      cacheDir,
      what: WHAT,
      backoffMs: 10,
    });
    expect(result).toMatchObject({ sha256: sha256(body), bytes: body.length, downloaded: true });
    expect(server.requests()).toBe(2);
    expect(readFileSync(join(cacheDir, NAME)).equals(body)).toBe(true);
    expect(readdirSync(cacheDir)).toEqual([NAME]);
  });

  it('rejects a download with another sha256: kept as .rejected, never put in place', async () => {
    const body = randomBytes(4096);
    const server = await serve((_n, _req, res) => sendBytes(res, body));
    const cacheDir = tempDir();
    const expected = sha256(Buffer.from('the build leap.yaml names'));
    const error = await obtainVenvTarball({
      source: { url: server.url, sha256: expected },
      cacheDir,
      what: WHAT,
    }).catch((e: unknown) => e);
    const rejected = join(cacheDir, `${NAME}.rejected`);
    expect(error).toMatchObject({ code: 'LEAP_VENV_SHA256_MISMATCH', file: rejected });
    const message = (error as Error).message;
    expect(message).toContain(rejected);
    expect(message).toContain(server.url);
    expect(message).toContain(expected);
    expect(message).toContain(sha256(body));
    expect(readdirSync(cacheDir)).toEqual([`${NAME}.rejected`]);
    expect(readFileSync(rejected).equals(body)).toBe(true);
    // A download that does not match is not retried: the server gave what it has.
    expect(server.requests()).toBe(1);
  });

  it('reports venv-download progress with growing byte counts', async () => {
    const body = randomBytes(1024 * 1024);
    const server = await serve((_n, _req, res) => sendBytes(res, body));
    const events: ProgressEvent[] = [];
    await obtainVenvTarball({
      source: { url: server.url, sha256: sha256(body) },
      cacheDir: tempDir(),
      what: WHAT,
      onProgress: (event) => events.push(event),
    });
    expect(events.length).toBeGreaterThan(1);
    const bytes: number[] = [];
    for (const event of events) {
      expect(event).toMatchObject({ kind: 'venv-download', url: server.url, attempt: 1 });
      if (event.kind === 'venv-download') bytes.push(event.bytes);
    }
    for (let i = 1; i < bytes.length; i++) expect(bytes[i]).toBeGreaterThan(bytes[i - 1]!);
    expect(bytes.at(-1)).toBe(body.length);
  });
});
