import { F5Error } from './errors.js';

/**
 * The lexical layer of tmsh / bigip.conf: words, quoted strings, nested `{ }` blocks and statements
 * that end at a newline outside any block. Quoted strings keep their escapes as written (`\r\n`
 * stays two backslash escapes), so a value read and written again is byte-identical.
 */
export interface Word {
  type: 'word';
  text: string;
  quoted: boolean;
  line: number;
  start: number;
  end: number;
}

export interface Block {
  type: 'block';
  items: Item[];
  line: number;
  /** Offset of the `{`. */
  start: number;
  /** Offset just after the `}`. */
  end: number;
}

export type Item = Word | Block;

export interface Statement {
  items: Item[];
  line: number;
  /** The whole text, for items' offsets. */
  source: string;
}

export interface SyntaxContext {
  file?: string;
}

function parseError(message: string, line: number, context: SyntaxContext): F5Error {
  const where = context.file === undefined ? `line ${line}` : `${context.file}:${line}`;
  return new F5Error('LEAP_F5_PARSE', `Cannot read the F5 configuration at ${where}: ${message}.`, {
    file: context.file,
    hint: 'Give --current the output of `tmsh -q list ltm recursive` (or a bigip.conf) unchanged; leap reads the ltm objects, nodes, pools, virtual servers, monitors and profiles.',
  });
}

export function parseStatements(text: string, context: SyntaxContext = {}): Statement[] {
  const statements: Statement[] = [];
  const stack: Block[] = [];
  let current: Item[] = [];
  let statementLine = 1;
  let line = 1;
  let index = 0;
  const push = (item: Item): void => {
    const top = stack[stack.length - 1];
    if (top === undefined) {
      if (current.length === 0) statementLine = item.line;
      current.push(item);
    } else {
      top.items.push(item);
    }
  };
  const endStatement = (): void => {
    if (current.length > 0) statements.push({ items: current, line: statementLine, source: text });
    current = [];
  };

  while (index < text.length) {
    const char = text[index] as string;
    if (char === '\n') {
      line += 1;
      index += 1;
      if (stack.length === 0) endStatement();
      continue;
    }
    if (char === ' ' || char === '\t' || char === '\r') {
      index += 1;
      continue;
    }
    if (char === '#' && stack.length === 0) {
      while (index < text.length && text[index] !== '\n') index += 1;
      continue;
    }
    if (char === '{') {
      stack.push({ type: 'block', items: [], line, start: index, end: index + 1 });
      index += 1;
      continue;
    }
    if (char === '}') {
      const block = stack.pop();
      if (block === undefined) throw parseError('a "}" closes no block', line, context);
      block.end = index + 1;
      index += 1;
      push(block);
      continue;
    }
    if (char === '"') {
      const quoted = readQuoted(text, index, line, context);
      line = quoted.line;
      index = quoted.word.end;
      push(quoted.word);
      continue;
    }
    const start = index;
    while (index < text.length && !/[\s{}"]/.test(text[index] as string)) index += 1;
    push({ type: 'word', text: text.slice(start, index), quoted: false, line, start, end: index });
  }
  const open = stack[0];
  if (open !== undefined) throw parseError('the "{" opened here is never closed', open.line, context);
  endStatement();
  return statements;
}

/** The quoted string whose opening quote is at `start`; `line` is the line it ends on. */
function readQuoted(
  text: string,
  start: number,
  startLine: number,
  context: SyntaxContext,
): { word: Word; line: number } {
  let line = startLine;
  let index = start + 1;
  let body = '';
  for (;;) {
    if (index >= text.length) throw parseError(`the quoted string opened here never ends`, startLine, context);
    const c = text[index] as string;
    if (c === '\\' && index + 1 < text.length) {
      body += c + (text[index + 1] as string);
      if (text[index + 1] === '\n') line += 1;
      index += 2;
      continue;
    }
    if (c === '"') break;
    if (c === '\n') line += 1;
    body += c;
    index += 1;
  }
  index += 1;
  return { word: { type: 'word', text: body, quoted: true, line: startLine, start, end: index }, line };
}

/** A value as tmsh needs it written: quoted when it holds spaces, braces or quotes, or is empty. */
export function quote(value: string): string {
  return value === '' || /[\s{}"#]/.test(value) ? `"${value.replace(/(?<!\\)"/g, '\\"')}"` : value;
}
