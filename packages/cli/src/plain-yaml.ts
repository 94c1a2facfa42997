/**
 * A reader for the plain subset of YAML that leap.yaml files are written in: block maps with identifier keys, block
 * sequences of scalars, of nested blocks or of maps (`- key: value`), plain, single- and double-quoted scalars, `[]`,
 * `{}` and comments.
 *
 * Why: loading and warming up the full YAML library costs `leap status` about a third of its run time. The reader
 * returns exactly what `yaml`'s parseDocument(text).toJS() returns (YAML 1.2 core schema), or `undefined` for
 * anything outside the subset or in doubt (anchors, tags, block scalars, multi-line scalars, flow collections with
 * content, floats, duplicate keys, bad indentation), and the caller then reads the file with the full library, which
 * also gives the error messages. test/plain-yaml.test.ts holds the two readers to the same answers.
 */

type Value = null | boolean | number | string | Value[] | { [key: string]: Value };

interface Line {
  indent: number;
  text: string;
}

/** Thrown inside the reader to give up; never escapes it. */
const OUTSIDE = Symbol('outside the plain subset');

const KEY_LINE = /^([A-Za-z_][A-Za-z0-9_.-]*):(?:[ ]+(.*))?$/;
const INT = /^[-+]?[0-9]+$/;
const OTHER_NUMBER =
  /^(?:0o[0-7]+|0x[0-9a-fA-F]+|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
// First characters that give a scalar another meaning in YAML; `-`, `?` and `:` only when a space or nothing follows.
const INDICATOR_FIRST = /^(?:[,[\]{}#&*!|>'"%@`]|[-?:](?:[ ]|$))/;

function outside(): never {
  throw OUTSIDE;
}

function contentLines(text: string): Line[] {
  const lines: Line[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    // YAML's white space is the space and the tab only; trimStart() would take more.
    const body = line.replace(/^ +/, '').replace(/ +$/, '');
    if (body === '' || body.startsWith('#')) continue;
    // A tab may separate a comment or sit in a scalar; the subset has none.
    if (line.includes('\t')) outside();
    if (/^(?:---|\.\.\.)(?:\s|$)/.test(line) || line.startsWith('%')) outside();
    lines.push({ indent: line.length - line.replace(/^ +/, '').length, text: body });
  }
  return lines;
}

function plainScalar(text: string): Value {
  if (/^(?:~|null|Null|NULL)$/.test(text)) return null;
  if (/^(?:true|True|TRUE)$/.test(text)) return true;
  if (/^(?:false|False|FALSE)$/.test(text)) return false;
  if (INT.test(text)) {
    const value = Number(text);
    // Leading zeros, signs and big numbers: the library knows best.
    if (!/^(?:0|-?[1-9][0-9]*)$/.test(text) || !Number.isSafeInteger(value)) outside();
    return value;
  }
  if (OTHER_NUMBER.test(text)) outside();
  if (INDICATOR_FIRST.test(text) || text.includes(': ') || text.endsWith(':') || text.includes(' #')) outside();
  return text;
}

/** The quoted scalar at the start of `text` and what follows it; a comment may follow, nothing else. */
function quotedScalar(text: string): string {
  const quote = text[0]!;
  let value = '';
  let i = 1;
  for (; i < text.length; i++) {
    const c = text[i]!;
    if (quote === "'" && c === "'") {
      if (text[i + 1] === "'") {
        value += "'";
        i++;
        continue;
      }
      break;
    }
    if (quote === '"' && c === '\\') {
      // JSON's escapes mean the same in YAML; YAML's others (\x, \e, \N, ...) are left to the library.
      const escape = text.slice(i, i + (text[i + 1] === 'u' ? 6 : 2));
      if (!/^\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})$/.test(escape)) outside();
      value += JSON.parse(`"${escape}"`) as string;
      i += escape.length - 1;
      continue;
    }
    if (quote === '"' && c === '"') break;
    if (c < ' ') outside();
    value += c;
  }
  if (i >= text.length) outside();
  const rest = text.slice(i + 1);
  if (rest !== '' && !/^[ ]+#/.test(rest)) outside();
  return value;
}

function inlineValue(text: string): Value {
  if (text.startsWith('"') || text.startsWith("'")) return quotedScalar(text);
  const value = text.replace(/[ ]+#.*$/, '');
  if (value === '[]') return [];
  if (value === '{}') return {};
  return plainScalar(value);
}

class Reader {
  private at = 0;
  constructor(private readonly lines: Line[]) {}

  document(): Value {
    if (this.lines.length === 0 || this.lines[0]!.indent !== 0) outside();
    const value = this.block(0);
    if (this.at !== this.lines.length) outside();
    return value;
  }

  private block(indent: number): Value {
    return this.isItem(this.lines[this.at]!) ? this.sequence(indent) : this.map(indent);
  }

  private isItem(line: Line): boolean {
    return line.text === '-' || line.text.startsWith('- ');
  }

  /** The value of a key or item whose inline part is empty: a deeper block, or null. */
  private nested(parentIndent: number): Value {
    const next = this.lines[this.at];
    if (next === undefined || next.indent < parentIndent) return null;
    if (next.indent === parentIndent) {
      // `key:` followed by `- item` at the key's own indent is a sequence value in YAML: left to the library.
      if (this.isItem(next)) outside();
      return null;
    }
    return this.block(next.indent);
  }

  private map(indent: number): Value {
    const result: { [key: string]: Value } = {};
    while (this.at < this.lines.length) {
      const line = this.lines[this.at]!;
      if (line.indent < indent) break;
      if (line.indent > indent || this.isItem(line)) outside();
      const match = KEY_LINE.exec(line.text);
      if (match === null) outside();
      const key = match[1]!;
      if (Object.hasOwn(result, key) || key === '__proto__' || /^(?:true|false|null)$/i.test(key)) outside();
      this.at++;
      const rest = match[2] ?? '';
      result[key] = rest === '' || rest.startsWith('#') ? this.nested(indent) : inlineValue(rest);
    }
    return result;
  }

  private sequence(indent: number): Value {
    const result: Value[] = [];
    while (this.at < this.lines.length) {
      const line = this.lines[this.at]!;
      if (line.indent < indent) break;
      if (line.indent > indent || !this.isItem(line)) outside();
      const rest = line.text.slice(1).replace(/^ +/, '');
      if (KEY_LINE.test(rest)) {
        // `- key: value` starts a map inside the item, its keys at the column of the first one.
        const column = indent + line.text.length - rest.length;
        this.lines[this.at] = { indent: column, text: rest };
        result.push(this.map(column));
        continue;
      }
      this.at++;
      if (rest.startsWith('- ') || rest === '-') outside();
      result.push(rest === '' || rest.startsWith('#') ? this.nested(indent + 1) : inlineValue(rest));
    }
    return result;
  }
}

/** What yaml's parseDocument(text).toJS() gives, or undefined when `text` is outside the plain subset. */
export function readPlainYaml(text: string): unknown {
  try {
    return new Reader(contentLines(text.startsWith('\uFEFF') ? text.slice(1) : text)).document();
  } catch (error) {
    if (error === OUTSIDE) return undefined;
    throw error;
  }
}
