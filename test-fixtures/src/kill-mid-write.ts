import { readdirSync } from 'node:fs';
import { execa } from 'execa';

export interface KillMidWriteOptions {
  /** The folder the child writes into; the kill comes as soon as a temp file of a write shows there. */
  dir: string;
  /**
   * An ES module run by a node child: it must write into `dir` in an endless loop through the writer under test
   * (a built package's dist, by file URL). It gets `dir` as process.argv[1].
   */
  script: string;
  /** How many children to start before giving up on catching one mid-write. Default 20. */
  attempts?: number;
}

const TEMP_PREFIX = '.leap-tmp-';

function temps(dir: string): string[] {
  return readdirSync(dir).filter((name) => name.startsWith(TEMP_PREFIX));
}

/**
 * SIGKILLs a node child in the middle of an atomic write (between the temp file's creation and its rename) and
 * returns the temp files the killed write left in `dir`. Throws when no attempt caught a write in progress, so a
 * test that relies on it is never vacuous.
 */
export async function killMidWrite(options: KillMidWriteOptions): Promise<string[]> {
  for (let attempt = 0; attempt < (options.attempts ?? 20); attempt += 1) {
    const before = new Set(temps(options.dir));
    const child = execa(process.execPath, ['--input-type=module', '-e', options.script, options.dir], {
      reject: false,
      stdin: 'ignore',
    });
    let exited = false;
    void child.finally(() => {
      exited = true;
    });
    while (!exited && temps(options.dir).every((name) => before.has(name))) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    child.kill('SIGKILL');
    const result = await child;
    if (!result.isTerminated) throw new Error(`the writer exited by itself (${result.exitCode}): ${result.stderr}`);
    const left = temps(options.dir).filter((name) => !before.has(name));
    if (left.length > 0) return left;
  }
  throw new Error('no SIGKILL landed inside a write: the writer renamed every temp file before the kill');
}
