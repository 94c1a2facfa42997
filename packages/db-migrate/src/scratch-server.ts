import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { connect, type DbConnectionOptions } from './connection.js';
import { DbMigrateError } from './errors.js';
import { checkAborted } from './progress.js';

export interface ScratchServerOptions {
  mariadbd: string;
  installDb: string;
  /** Where the datadir goes: the backup's own file system, which was checked for room (not /tmp, often a small tmpfs). */
  parentDir: string;
  readyTimeoutMs?: number;
  signal?: AbortSignal;
  onStarted?: (server: { dir: string; pid: number }) => void;
}

const PREFIX = '.leap-verify-';

/**
 * Runs `fn` against a throwaway mariadbd on a new datadir under `parentDir`, reachable only through a unix socket
 * (no TCP port: nothing else can reach it, nothing can collide with it). The server is stopped and its folder
 * removed whatever `fn` does, including when it throws or the signal aborts; a folder left by a leap that was
 * killed outright is removed by the next verification.
 */
export async function withScratchServer<T>(
  options: ScratchServerOptions,
  fn: (conn: DbConnectionOptions) => Promise<T>,
): Promise<T> {
  await removeStale(options.parentDir);
  const base = await mkdtemp(join(options.parentDir, PREFIX));
  // A unix socket path is limited to 107 bytes; the backup folder may be deeper than that allows.
  const socketDir = await mkdtemp(join(tmpdir(), 'leap-vs-'));
  let child: ResultPromise | undefined;
  try {
    await writeFile(join(base, 'owner'), `${process.pid}\n`);
    const layout = scratchLayout(base, socketDir);
    await mkdir(layout.datadir, { mode: 0o700 });
    await mkdir(layout.temp, { mode: 0o700 });
    await installDatadir(options, layout);
    const started = startServer(options, layout);
    child = started;
    const conn: DbConnectionOptions = {
      socketPath: layout.socketPath,
      user: 'root',
      password: '',
      connectTimeoutMs: 2_000,
    };
    await waitUntilReady(options, started, conn, layout.log);
    options.onStarted?.({ dir: base, pid: started.pid ?? -1 });
    return await fn(conn);
  } finally {
    if (child) await stop(child);
    await rm(base, { recursive: true, force: true });
    await rm(socketDir, { recursive: true, force: true });
  }
}

/** Where the scratch server's files go, and the options both mariadb-install-db and mariadbd get. */
interface ScratchLayout {
  base: string;
  datadir: string;
  temp: string;
  log: string;
  socketPath: string;
  asRoot: string[];
  common: string[];
}

function scratchLayout(base: string, socketDir: string): ScratchLayout {
  const datadir = join(base, 'data');
  const temp = join(base, 'tmp');
  const log = join(base, 'error.log');
  const socketPath = join(socketDir, 's');
  const asRoot = process.getuid?.() === 0 ? ['--user=root'] : [];
  // Durability is pointless for a copy that is thrown away; these make the load several times faster.
  const common = ['--innodb-log-file-size=256M', '--loose-innodb-doublewrite=0', '--innodb-flush-log-at-trx-commit=0'];
  return { base, datadir, temp, log, socketPath, asRoot, common };
}

/** Runs mariadb-install-db on the new datadir; throws LEAP_VERIFY_SERVER_FAILED when it fails. */
async function installDatadir(options: ScratchServerOptions, layout: ScratchLayout): Promise<void> {
  const { base, datadir, temp, common, asRoot } = layout;
  // Before 10.4 root had no password by default and these options did not exist.
  const help = await execa(options.installDb, ['--help'], { reject: false, stdin: 'ignore', all: true });
  const supported = ['--auth-root-authentication-method=normal', '--skip-test-db'].filter((o) =>
    String(help.all ?? '').includes(o.split('=')[0] as string),
  );
  const install = await execa(
    options.installDb,
    ['--no-defaults', ...supported, `--datadir=${datadir}`, `--tmpdir=${temp}`, ...common, ...asRoot],
    { cwd: base, reject: false, cancelSignal: options.signal, stdin: 'ignore', all: true },
  );
  checkAborted(options.signal, 'the backup verification');
  if (install.exitCode !== 0) {
    throw serverError(
      `${options.installDb} exited with ${install.exitCode ?? install.signal}: ${String(install.all ?? '')
        .trim()
        .slice(-500)}`,
      options.parentDir,
    );
  }
}

/** Starts mariadbd on the datadir, unix socket only; the caller waits for it to accept connections. */
function startServer(options: ScratchServerOptions, layout: ScratchLayout): ResultPromise {
  const { base, datadir, temp, log, socketPath, common, asRoot } = layout;
  return execa(
    options.mariadbd,
    [
      '--no-defaults',
      `--datadir=${datadir}`,
      `--tmpdir=${temp}`,
      `--socket=${socketPath}`,
      '--skip-networking',
      `--pid-file=${join(base, 'mariadbd.pid')}`,
      `--log-error=${log}`,
      '--skip-log-bin',
      '--skip-name-resolve',
      '--innodb-buffer-pool-size=512M',
      '--max-allowed-packet=1G',
      ...common,
      ...asRoot,
    ],
    { cwd: base, reject: false, cleanup: true, stdio: 'ignore' },
  );
}

/** Polls until the server accepts a connection; throws when it exits first or the ready timeout passes. */
async function waitUntilReady(
  options: ScratchServerOptions,
  started: ResultPromise,
  conn: DbConnectionOptions,
  log: string,
): Promise<void> {
  let exited = false;
  void started.then(() => {
    exited = true;
  });
  const deadline = Date.now() + (options.readyTimeoutMs ?? 120_000);
  for (;;) {
    checkAborted(options.signal, 'the backup verification');
    if (exited) throw serverError(`${options.mariadbd} exited while starting: ${await tail(log)}`, options.parentDir);
    const db = await connect(conn).catch(() => undefined);
    if (db) {
      await db.close();
      return;
    }
    if (Date.now() > deadline)
      throw serverError(
        `${options.mariadbd} did not accept connections in time: ${await tail(log)}`,
        options.parentDir,
      );
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** SIGKILL: the datadir is deleted next, so a clean shutdown would only write pages nobody reads. */
async function stop(child: ResultPromise): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await child;
}

/** Folders of a verification whose leap process is gone (killed with SIGKILL, the host rebooted). */
async function removeStale(parent: string): Promise<void> {
  const names = await readdir(parent).catch(() => [] as string[]);
  for (const name of names.filter((n) => n.startsWith(PREFIX))) {
    const owner = Number((await readFile(join(parent, name, 'owner'), 'utf8').catch(() => '')).trim());
    if (Number.isInteger(owner) && owner > 0 && (owner === process.pid || alive(owner))) continue;
    await rm(join(parent, name), { recursive: true, force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function tail(file: string): Promise<string> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return (
    text
      .trim()
      .split('\n')
      .filter((l) => /ERROR|\[Note\] .*(abort|shutdown)/i.test(l))
      .slice(-5)
      .join(' | ') || text.trim().slice(-500)
  );
}

function serverError(message: string, dir: string): DbMigrateError {
  return new DbMigrateError(
    'LEAP_VERIFY_SERVER_FAILED',
    `the throwaway verification server could not be started: ${message}`,
    {
      hint: `check free space and memory on this host (the server's folder under ${dir} was removed); or set database.tools.server in leap.yaml to another mariadbd`,
      file: dir,
    },
  );
}
