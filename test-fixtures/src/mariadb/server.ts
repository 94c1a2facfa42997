import { mkdirSync, rmSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import mysql from 'mysql2/promise';
import { makeTempDir } from '../temp.js';
import { freePort } from '../ports.js';
import { requireCommand } from '../system.js';

export interface MariaDbConnection {
  host: string;
  port: number;
  socketPath: string;
  user: string;
  password: string;
}

export interface MariaDbServer extends MariaDbConnection {
  datadir: string;
  pid: number;
  stop(): Promise<void>;
}

export interface StartMariaDbOptions {
  /** Parent folder for the datadir; a new temp folder by default (removed on stop). */
  baseDir?: string;
  port?: number;
  /** Extra mariadbd options such as `--innodb-buffer-pool-size=64M`. */
  extraArgs?: string[];
  readyTimeoutMs?: number;
}

/**
 * Initialises and starts a throwaway mariadbd on a temp datadir (unix socket plus a 127.0.0.1 port),
 * waits until it accepts connections and returns how to reach it. root has an empty password.
 */
export async function startMariaDb(options: StartMariaDbOptions = {}): Promise<MariaDbServer> {
  const mariadbd = requireCommand('mariadbd');
  const installDb = requireCommand('mariadb-install-db');
  const ownsBase = options.baseDir === undefined;
  const base = options.baseDir ?? makeTempDir('leap-mariadb-');
  const datadir = join(base, 'data');
  mkdirSync(datadir, { recursive: true });
  const socketPath = join(base, 'mysqld.sock');
  const port = options.port ?? (await freePort());
  const asRoot = process.getuid?.() === 0;
  // Its own tmpdir: temp table files in /tmp are named by pid, and a server SIGKILLed earlier (a crash test) can leave
  // one behind that a new server with the same pid then fails to remove ("Unknown table 'mysql.tmp_user_sys'").
  const tmpdir = join(base, 'tmp');
  mkdirSync(tmpdir, { recursive: true });

  await execa(
    installDb,
    [
      '--no-defaults',
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
      '--innodb-log-file-size=8M',
      `--datadir=${datadir}`,
      `--tmpdir=${tmpdir}`,
      ...(asRoot ? ['--user=root'] : []),
    ],
    { cwd: base },
  );

  const child: ResultPromise = execa(
    mariadbd,
    [
      '--no-defaults',
      `--datadir=${datadir}`,
      `--tmpdir=${tmpdir}`,
      `--socket=${socketPath}`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      `--pid-file=${join(base, 'mysqld.pid')}`,
      `--log-error=${join(base, 'error.log')}`,
      '--innodb-buffer-pool-size=32M',
      '--innodb-log-file-size=8M',
      '--skip-name-resolve',
      ...(asRoot ? ['--user=root'] : []),
      ...(options.extraArgs ?? []),
    ],
    { cwd: base, reject: false, cleanup: true, stdio: 'ignore' },
  );

  let exited = false;
  void child.then(() => {
    exited = true;
  });
  const connection: MariaDbConnection = { host: '127.0.0.1', port, socketPath, user: 'root', password: '' };
  const deadline = Date.now() + (options.readyTimeoutMs ?? 30_000);
  for (;;) {
    if (exited) throw new Error(`mariadbd exited during start-up; see ${join(base, 'error.log')}`);
    if (existsSync(socketPath) && (await canConnect(connection))) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`mariadbd did not accept connections within the timeout; see ${join(base, 'error.log')}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }

  return {
    ...connection,
    datadir,
    pid: child.pid ?? -1,
    async stop() {
      if (!exited) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await child;
        clearTimeout(timer);
      }
      if (ownsBase) rmSync(base, { recursive: true, force: true });
    },
  };
}

async function canConnect(connection: MariaDbConnection): Promise<boolean> {
  try {
    const conn = await mysql.createConnection({
      socketPath: connection.socketPath,
      user: connection.user,
      password: connection.password,
    });
    await conn.end();
    return true;
  } catch {
    return false;
  }
}
