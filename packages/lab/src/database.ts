import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import { LabError } from './errors.js';
import { requireLabCommand } from './commands.js';
import type { Seeded } from './seed.js';
import type { LabDatabase } from './types.js';

const LOG_HINT = (logFile: string) =>
  `read why in ${logFile}, fix it, then run leap lab destroy and leap lab create again`;

/**
 * Initialises dir/mysql and starts a mariadbd on it, detached so that it outlives the process that created
 * the lab (the pid goes to lab.json; destroyLab stops it). Listens on a unix socket and on 127.0.0.1.
 */
export async function startLabDatabase(dir: string, seeded: Seeded): Promise<LabDatabase> {
  const mariadbd = requireLabCommand('mariadbd');
  const installDb = requireLabCommand('mariadb-install-db');
  const client = requireLabCommand('mariadb');
  const base = join(dir, 'mysql');
  const datadir = join(base, 'data');
  const tmpdir = join(base, 'tmp');
  mkdirSync(datadir, { recursive: true });
  // A private tmpdir: install-db's temporary tables in a shared /tmp can collide with another server's.
  mkdirSync(tmpdir, { recursive: true });
  const socket = join(base, 'mysqld.sock');
  const asRoot = process.getuid?.() === 0;
  const userArgs = asRoot ? ['--user=root'] : [];

  await execa(
    installDb,
    [
      '--no-defaults',
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
      '--innodb-log-file-size=8M',
      `--datadir=${datadir}`,
      `--tmpdir=${tmpdir}`,
      ...userArgs,
    ],
    { cwd: base },
  );

  const logFile = join(base, 'error.log');
  const server: LabServer = { mariadbd, client, base, datadir, tmpdir, socket, logFile, userArgs };
  return startOnFreePort(seeded, (port) => startMariadbd(server, port));
}

/** Where and how the lab's mariadbd runs: its commands, folders, socket, error log and user arguments. */
interface LabServer {
  mariadbd: string;
  client: string;
  base: string;
  datadir: string;
  tmpdir: string;
  socket: string;
  logFile: string;
  userArgs: string[];
}

/** mariadbd started detached on `port` and waited for; 'port-taken' when another process bound that port first. */
async function startMariadbd(server: LabServer, port: number): Promise<LabDatabase | 'port-taken'> {
  const { mariadbd, client, base, datadir, tmpdir, socket, logFile, userArgs } = server;
  const logStart = existsSync(logFile) ? statSync(logFile).size : 0;
  const child = execa(
    mariadbd,
    [
      '--no-defaults',
      `--datadir=${datadir}`,
      `--socket=${socket}`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      `--tmpdir=${tmpdir}`,
      `--pid-file=${join(base, 'mysqld.pid')}`,
      `--log-error=${logFile}`,
      '--innodb-buffer-pool-size=32M',
      '--innodb-log-file-size=8M',
      '--skip-name-resolve',
      '--character-set-server=utf8',
      '--collation-server=utf8_general_ci',
      ...userArgs,
    ],
    { cwd: base, detached: true, cleanup: false, reject: false, stdio: 'ignore' },
  );
  child.unref();
  let exited = false;
  void child.then(() => {
    exited = true;
  });
  const pid = child.pid;
  if (pid === undefined)
    throw new LabError('LEAP_LAB_DATABASE', `mariadbd did not start; see ${logFile}`, {
      file: logFile,
      hint: LOG_HINT(logFile),
    });

  const database: LabDatabase = { pid, socket, host: '127.0.0.1', port, user: 'root', password: '', datadir, client };
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (exited) {
      if (portTaken(logFile, logStart)) return 'port-taken';
      throw new LabError('LEAP_LAB_DATABASE', `mariadbd exited during start-up; see ${logFile}`, {
        file: logFile,
        hint: LOG_HINT(logFile),
      });
    }
    if (existsSync(socket) && (await canQuery(database))) return database;
    if (Date.now() > deadline) {
      process.kill(pid, 'SIGKILL');
      throw new LabError('LEAP_LAB_DATABASE', `mariadbd did not accept connections within 30 s; see ${logFile}`, {
        file: logFile,
        hint: `${LOG_HINT(logFile)}; on a busy machine, build the lab when fewer servers start at once`,
      });
    }
    await sleep(50);
  }
}

/**
 * Starts the server on the seed's port, or another free one: a port found free can be taken by another server
 * (another lab built at the same time prefers the same port) before mariadbd binds it, so a bind failure moves
 * on to another port instead of failing the lab.
 */
export async function startOnFreePort<T>(
  seeded: Seeded,
  start: (port: number) => Promise<T | 'port-taken'>,
  attempts = 5,
): Promise<T> {
  const tried: number[] = [];
  for (let attempt = 0; attempt < attempts; attempt++) {
    const port = await pickPort(seeded, tried);
    const started = await start(port);
    if (started !== 'port-taken') return started;
    tried.push(port);
  }
  throw new LabError(
    'LEAP_LAB_DATABASE',
    `mariadbd could not bind a port on 127.0.0.1: ${tried.join(', ')} were taken as it started`,
    {
      hint: 'other servers took every port tried; create the lab again when fewer labs or databases start at once',
    },
  );
}

/** Whether what mariadbd logged from `from` on says it could not bind its port (another process got there first). */
function portTaken(logFile: string, from: number): boolean {
  const log = existsSync(logFile) ? readFileSync(logFile).subarray(from).toString('utf8') : '';
  return /Bind on TCP\/IP port|Address already in use/.test(log);
}

/** Runs SQL text through the mariadb client on the lab's socket; returns the rows (tab-separated fields). */
export async function labSql(database: LabDatabase, sql: string, schema?: string): Promise<string[][]> {
  const result = await execa(
    database.client,
    [
      '--no-defaults',
      '-S',
      database.socket,
      '-u',
      database.user,
      '-N',
      '-B',
      ...(schema === undefined ? [] : [schema]),
    ],
    { input: sql },
  );
  return result.stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => line.split('\t'));
}

async function canQuery(database: LabDatabase): Promise<boolean> {
  try {
    await labSql(database, 'SELECT 1');
    return true;
  } catch {
    return false;
  }
}

/** Stops the lab's mariadbd: SIGTERM, then SIGKILL after `graceMs`. A pid that is no longer our mariadbd is left alone. */
export async function stopLabDatabase(database: Pick<LabDatabase, 'pid' | 'datadir'>, graceMs = 15_000): Promise<void> {
  if (!isOurMariadbd(database)) return;
  process.kill(database.pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isAlive(database.pid)) {
    if (Date.now() > deadline) {
      process.kill(database.pid, 'SIGKILL');
      await sleep(100);
      return;
    }
    await sleep(50);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The pid in lab.json may have been reused after a reboot: only signal a mariadbd serving this lab's datadir. */
function isOurMariadbd(database: Pick<LabDatabase, 'pid' | 'datadir'>): boolean {
  if (!isAlive(database.pid)) return false;
  try {
    const cmdline = readFileSync(`/proc/${database.pid}/cmdline`, 'utf8').split('\0');
    return cmdline.includes(`--datadir=${database.datadir}`);
  } catch {
    // No /proc: trust the pid.
    return true;
  }
}

/** A port below 32768 (the ephemeral range can collide with outgoing connections), first choice from the seed. */
async function pickPort(seeded: Seeded, avoid: readonly number[] = []): Promise<number> {
  const preferred = 20000 + seeded.int('database-port', 12000);
  if (!avoid.includes(preferred) && (await isFree(preferred))) return preferred;
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20000 + Math.floor(Math.random() * 12000);
    if (!avoid.includes(port) && (await isFree(port))) return port;
  }
  throw new LabError('LEAP_LAB_DATABASE', 'no free TCP port found between 20000 and 32000 on 127.0.0.1', {
    hint: 'stop servers you no longer need (`leap lab destroy` removes a lab and its database), then create the lab again',
  });
}

export function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
