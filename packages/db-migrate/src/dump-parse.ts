import { Transform, type TransformCallback } from 'node:stream';

const statementStarts = new Set([
  'SET',
  'DROP',
  'CREATE',
  'INSERT',
  'LOCK',
  'UNLOCK',
  'ALTER',
  'USE',
  'COMMIT',
  'START',
  'REPLACE',
  'DELIMITER',
]);
const TRAILER = '-- Dump completed';
const headBytes = 200;

/**
 * Parses a mariadb-dump / mysqldump stream statement by statement without buffering it: strings, quoted names,
 * comments and `DELIMITER` changes are followed, every statement must begin with a statement a dump writes and
 * close its parentheses before its delimiter, and the dump must end between statements after the client's
 * `-- Dump completed` line (a dump cut short, even between rows, fails). `problems` lists what was wrong.
 */
export class DumpParser extends Transform {
  readonly createdTables = new Set<string>();
  statements = 0;
  private delimiter = Buffer.from(';');
  private matched = 0;
  private quote = 0;
  private escape = false;
  private comment: 'none' | 'line' | 'block' = 'none';
  private commentHead: number[] = [];
  private blockStar = false;
  private dash = 0;
  private depth = 0;
  private head: number[] = [];
  private content = false;
  /** Inside a client `DELIMITER x` command: it ends at its line's end, not at a delimiter. */
  private delimiterCommand: number[] | undefined;
  private completed = false;
  private readonly errors: string[] = [];

  override _transform(chunk: Buffer | string, _encoding: BufferEncoding, done: TransformCallback): void {
    this.scan(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    done(null, chunk);
  }

  get problems(): string[] {
    const out = [...this.errors];
    if (this.quote !== 0) out.push(`the dump ends inside a ${String.fromCharCode(this.quote)}-quoted string`);
    else if (this.comment === 'block') out.push('the dump ends inside a /* comment */');
    else if (this.content) out.push(`the dump ends inside a statement (${this.headText().slice(0, 60)}…)`);
    else if (!this.completed) out.push(`the dump is not complete: no '${TRAILER}' line`);
    return out;
  }

  private fail(message: string): void {
    if (this.errors.length < 5) this.errors.push(`statement ${this.statements + 1}: ${message}`);
  }

  private headText(): string {
    return Buffer.from(this.head).toString('utf8').trimStart();
  }

  /** Feeds a chunk to the state machine: each byte goes to the handler of the state the parser is in. */
  scan(buf: Buffer): void {
    const n = buf.length;
    for (let i = 0; i < n; i++) {
      const b = buf[i] as number;
      if (this.delimiterCommand !== undefined) this.delimiterCommandByte(this.delimiterCommand, b);
      else if (this.comment === 'line') this.lineCommentByte(b);
      else if (this.comment === 'block') this.blockCommentByte(b);
      else if (this.quote !== 0) i = this.quotedByte(buf, i, b);
      else this.codeByte(buf, i, b);
    }
  }

  /** Inside `DELIMITER x`: collects `x` up to the line's end, then makes it the delimiter. */
  private delimiterCommandByte(command: number[], b: number): void {
    if (b !== 10) {
      command.push(b);
      return;
    }
    const next = Buffer.from(command).toString('latin1').trim();
    if (next === '') this.fail('DELIMITER without a delimiter');
    else this.delimiter = Buffer.from(next, 'latin1');
    this.delimiterCommand = undefined;
    this.reset();
  }

  /** Inside a `-- ` line: keeps its start, to recognise the `-- Dump completed` trailer at the line's end. */
  private lineCommentByte(b: number): void {
    if (b === 10) {
      this.comment = 'none';
      if (Buffer.from(this.commentHead).toString('latin1').startsWith(TRAILER)) this.completed = true;
    } else if (this.commentHead.length < TRAILER.length) this.commentHead.push(b);
  }

  /** Inside a block comment: its bytes are recorded, it is part of the statement. */
  private blockCommentByte(b: number): void {
    if (this.blockStar && b === 47) {
      this.comment = 'none';
      this.blockStar = false;
      return;
    }
    this.blockStar = b === 42;
    this.record(b);
  }

  /** Inside a quoted string or name; returns the index of the last byte consumed (a run of plain string bytes). */
  private quotedByte(buf: Buffer, i: number, b: number): number {
    if (this.escape) {
      this.escape = false;
      this.record(b);
      return i;
    }
    if (b === 92 && this.quote !== 96) {
      this.escape = true;
      this.record(b);
      return i;
    }
    if (b === this.quote) this.quote = 0;
    else if (this.quote === 39) {
      // Most of a dump's bytes are inside strings: jump to the next quote or backslash.
      const n = buf.length;
      let j = i + 1;
      while (j < n && buf[j] !== 39 && buf[j] !== 92) j++;
      for (let k = i; k < j && this.head.length < headBytes; k++) this.head.push(buf[k] as number);
      return j - 1;
    }
    this.record(b);
    return i;
  }

  /** Outside strings and comments: comment starts, the delimiter, whitespace, and the statement's own bytes. */
  private codeByte(buf: Buffer, i: number, b: number): void {
    if (this.dash === 1 && b !== 45) {
      this.dash = 0;
      this.content = true;
      this.record(45);
    }
    if (b === 45 && !this.content) {
      // `-- ` between statements is a comment line (the dump writes no comment inside a statement).
      if (++this.dash === 2) {
        this.comment = 'line';
        this.commentHead = [45, 45];
        this.dash = 0;
      }
      return;
    }
    if (b === this.delimiter[this.matched]) {
      this.matched++;
      if (this.matched === this.delimiter.length) {
        this.endStatement();
        return;
      }
      return;
    }
    if (this.matched > 0) {
      for (let k = 0; k < this.matched; k++) this.record(this.delimiter[k] as number);
      this.content = true;
      this.matched = 0;
    }
    if (b === 47 && buf[i + 1] === 42) {
      this.comment = 'block';
      this.blockStar = false;
      this.content = true;
      this.record(b);
      return;
    }
    if (b === 10) {
      this.newline();
      return;
    }
    if (b === 32 || b === 9 || b === 13) {
      this.whitespaceByte(b);
      return;
    }
    this.statementByte(b);
  }

  /** Whitespace inside a statement is kept; after `DELIMITER ` the client command's argument follows. */
  private whitespaceByte(b: number): void {
    if (!this.content) return;
    this.record(b);
    if (this.head.length === 10 && Buffer.from(this.head).toString('latin1').toUpperCase() === 'DELIMITER ')
      this.delimiterCommand = [];
  }

  /** Any other byte of a statement: opens a string or name, or counts a parenthesis. */
  private statementByte(b: number): void {
    this.content = true;
    this.record(b);
    if (b === 39 || b === 34 || b === 96) this.quote = b;
    else if (b === 40) this.depth++;
    else if (b === 41) {
      this.depth--;
      if (this.depth < 0) {
        this.fail('a ) without its (');
        this.depth = 0;
      }
    }
  }

  private record(b: number): void {
    if (this.head.length < headBytes) this.head.push(b);
  }

  private newline(): void {
    if (this.content) this.record(10);
  }

  private endStatement(): void {
    this.matched = 0;
    if (!this.content) {
      this.reset();
      return;
    }
    const text = this.headText();
    if (this.depth !== 0) this.fail(`unbalanced parentheses in ${text.slice(0, 60)}…`);
    if (!text.startsWith('/*')) {
      const word = /^[A-Za-z]+/.exec(text)?.[0]?.toUpperCase();
      if (word === undefined || !statementStarts.has(word))
        this.fail(`not a statement a dump writes: ${text.slice(0, 60)}`);
    }
    const table = /^CREATE TABLE (?:IF NOT EXISTS )?`((?:[^`]|``)+)`/.exec(text)?.[1];
    if (table !== undefined) this.createdTables.add(table.replace(/``/g, '`'));
    this.statements++;
    this.reset();
  }

  private reset(): void {
    this.head = [];
    this.content = false;
    this.depth = 0;
  }
}
