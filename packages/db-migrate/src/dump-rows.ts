import { Transform, type TransformCallback } from 'node:stream';

const INSERT = Buffer.from('INSERT INTO `');

/**
 * Counts the rows of every table in a mariadb-dump stream as it passes, without buffering it: a row is a
 * top-level `(` of an `INSERT INTO \`t\` VALUES` statement outside quoted strings, and the statement ends at
 * a top-level `;` (MariaDB 10.11 puts each row on its own line; older dumps put them all on one).
 */
export class DumpRowCounter extends Transform {
  readonly counts = new Map<string, number>();
  private mode: 'start' | 'skip' | 'name' | 'values' = 'start';
  private matched = 0;
  private name: number[] = [];
  private table = '';
  private inString = false;
  private escape = false;
  private depth = 0;

  override _transform(chunk: Buffer | string, _encoding: BufferEncoding, done: TransformCallback): void {
    this.scan(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    done(null, chunk);
  }

  /** Counts the rows in the next part of the dump (the caller may reuse `buf` afterwards). */
  scan(buf: Buffer): void {
    let i = 0;
    const n = buf.length;
    while (i < n) {
      if (this.mode === 'skip') {
        const nl = buf.indexOf(10, i);
        if (nl < 0) return;
        i = nl + 1;
        this.mode = 'start';
        this.matched = 0;
        continue;
      }
      const b = buf[i] as number;
      if (this.mode === 'start') {
        if (b === INSERT[this.matched]) {
          this.matched++;
          if (this.matched === INSERT.length) {
            this.mode = 'name';
            this.name = [];
          }
        } else {
          this.mode = b === 10 ? 'start' : 'skip';
          this.matched = 0;
        }
        i++;
        continue;
      }
      if (this.mode === 'name') {
        if (b === 96) {
          this.table = Buffer.from(this.name).toString('utf8');
          this.mode = 'values';
          this.inString = false;
          this.escape = false;
          this.depth = 0;
        } else this.name.push(b);
        i++;
        continue;
      }
      // values: jump over quoted strings with indexOf (they hold most of the bytes); only the bytes between
      // strings (numbers, NULL, hex, punctuation) are looked at one by one.
      let count = this.counts.get(this.table) ?? 0;
      while (i < n) {
        if (this.inString) {
          if (this.escape) {
            this.escape = false;
            i++;
            continue;
          }
          const quote = buf.indexOf(39, i);
          const end = quote < 0 ? n : quote;
          // A quote (or the chunk's end) after an odd run of backslashes is escaped.
          let slashes = 0;
          while (end - slashes - 1 >= i && buf[end - slashes - 1] === 92) slashes++;
          if (quote < 0) {
            this.escape = slashes % 2 === 1;
            i = n;
            break;
          }
          i = quote + 1;
          if (slashes % 2 === 0) this.inString = false;
          continue;
        }
        const c = buf[i++] as number;
        if (c === 39) this.inString = true;
        else if (c === 40) {
          if (this.depth === 0) count++;
          this.depth++;
        } else if (c === 41) this.depth--;
        else if (c === 59 && this.depth === 0) {
          this.mode = 'skip';
          break;
        }
      }
      this.counts.set(this.table, count);
    }
  }
}
