import { execa, type ResultPromise } from 'execa';
import type { DumpTee, TeeSink } from './backup.js';
import type { Db, DbConnectionOptions } from './connection.js';
import type { OnProgress } from './progress.js';
import { compareCounts, countRows } from './restore.js';

const q = (name: string): string => `\`${name.replace(/`/g, '``')}\``;

/**
 * One database loaded into the verification server from its dump's bytes as the dump writes them: the mariadb
 * client's stdin takes each chunk (the dump waits for it, as it waits for gzip). A load that fails keeps failing
 * quietly (its chunks are dropped) so that the backup itself completes; `finish` reports it.
 */
class StreamedLoad implements TeeSink {
  private failure: string | undefined;

  constructor(
    private readonly child: ResultPromise,
    private readonly db: Db,
    private readonly database: string,
    private readonly onProgress: OnProgress | undefined,
  ) {
    child.stdin?.on('error', (error: Error) => this.fail(error));
  }

  write(chunk: Buffer): Promise<void> {
    const stdin = this.child.stdin;
    if (this.failure !== undefined || stdin === null || stdin.destroyed) return Promise.resolve();
    return new Promise((resolve) =>
      stdin.write(chunk, (error) => {
        if (error) this.fail(error);
        resolve();
      }),
    );
  }

  async finish(tables: Record<string, number>): Promise<string[]> {
    this.child.stdin?.end();
    const result = await this.child;
    const problems: string[] = [];
    if (result.exitCode !== 0 || this.failure !== undefined) {
      const stderr = String(result.stderr ?? '')
        .trim()
        .slice(-500);
      problems.push(
        `restore into the throwaway server failed (exit ${result.exitCode ?? result.signal}): ${stderr || this.failure}`,
      );
    } else {
      problems.push(...compareCounts(tables, await countRows(this.db, this.database), 'restored'));
    }
    this.onProgress?.({ kind: 'verify', database: this.database, check: 'restore', ok: problems.length === 0 });
    return problems;
  }

  async abort(): Promise<void> {
    this.child.kill();
    await this.child;
  }

  private fail(error: Error): void {
    this.failure ??= `the load stopped taking the dump: ${error.message}`;
  }
}

/**
 * A tee that loads every dump into `target`, a throwaway server reached by its unix socket as root without a
 * password (withScratchServer's), each into a database of the same name created first.
 */
export function loadIntoScratch(
  client: string,
  target: DbConnectionOptions,
  db: Db,
  options: { signal?: AbortSignal; onProgress?: OnProgress } = {},
): DumpTee {
  return {
    async open(database) {
      await db.query(`CREATE DATABASE ${q(database)}`);
      const child = execa(
        client,
        ['--no-defaults', `--socket=${target.socketPath ?? ''}`, '--user=root', '--batch', '--', database],
        {
          stdin: 'pipe',
          stdout: 'ignore',
          buffer: { stdout: false, stderr: true },
          reject: false,
          ...(options.signal === undefined ? {} : { cancelSignal: options.signal }),
        },
      );
      return new StreamedLoad(child, db, database, options.onProgress);
    },
  };
}
