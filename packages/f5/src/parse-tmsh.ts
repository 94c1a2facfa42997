import { DEFAULTS, readProperties, type ReadContext } from './codec.js';
import { F5Error } from './errors.js';
import type { F5Config, F5Kind, F5Object } from './model.js';
import { objectKey } from './model.js';
import { parseStatements, type Item, type Statement, type Word } from './tmsh-syntax.js';

export interface ParseOptions {
  /** The file the text came from, for error messages. */
  file?: string;
  /** The folder `tmsh list` ran in: relative names resolve against it. Default `Common`. */
  folder?: string;
}

export interface SkippedStatement {
  line: number;
  /** The statement's first words, e.g. `ltm virtual-address /RPC/172.29.236.10`. */
  header: string;
}

export interface ParsedConfig extends F5Config {
  /** Statements that are not objects leap models (left alone by any diff). */
  skipped: SkippedStatement[];
}

/**
 * Service names the device prints instead of port numbers unless `cli global-settings service
 * number` is set (the BIG-IP /etc/services entries for the ports of the OpenStack services).
 */
const SERVICE_PORTS: Readonly<Record<string, string>> = {
  any: '*',
  http: '80',
  https: '443',
  mysql: '3306',
  'commplex-main': '5000',
  irdmi: '8000',
  webcache: '8080',
  intermapper: '8181',
  'pcsync-https': '8443',
  'ddi-tcp-1': '8888',
  'wap-wsp': '9200',
  armtechdaemon: '9292',
  git: '9418',
};

const RELATIVE = '\u0000';

interface Header {
  kind: F5Kind;
  type?: string;
  /** Index of the name in the statement's words. */
  nameAt: number;
}

const MONITOR_TYPES = new Set(['mysql', 'http', 'https', 'tcp', 'external']);
const PROFILE_TYPES = new Set(['client-ssl', 'server-ssl', 'http']);
const PERSISTENCE_TYPES = new Set(['source-addr', 'cookie']);

function recognise(words: string[]): Header | undefined {
  const [module, component, third] = words;
  if (module === 'auth' && component === 'partition') return { kind: 'partition', nameAt: 2 };
  if (module === 'sys' && (component === 'file' || component === 'crypto')) {
    if (third === 'external-monitor' && component === 'file') return { kind: 'external-monitor-file', nameAt: 3 };
    if (third === 'ssl-cert' || third === 'cert') return { kind: 'ssl-cert', nameAt: 3 };
    if (third === 'ssl-key' || third === 'key') return { kind: 'ssl-key', nameAt: 3 };
    return undefined;
  }
  if (module !== 'ltm') return undefined;
  switch (component) {
    case 'node':
      return { kind: 'node', nameAt: 2 };
    case 'pool':
      return { kind: 'pool', nameAt: 2 };
    case 'virtual':
      return { kind: 'virtual', nameAt: 2 };
    case 'snatpool':
      return { kind: 'snatpool', nameAt: 2 };
    case 'snat-translation':
      return { kind: 'snat-translation', nameAt: 2 };
    case 'rule':
      return { kind: 'rule', nameAt: 2 };
    case 'monitor':
      return third !== undefined && MONITOR_TYPES.has(third) ? { kind: 'monitor', type: third, nameAt: 3 } : undefined;
    case 'profile':
      return third !== undefined && PROFILE_TYPES.has(third) ? { kind: 'profile', type: third, nameAt: 3 } : undefined;
    case 'persistence':
      return third !== undefined && PERSISTENCE_TYPES.has(third)
        ? { kind: 'persistence', type: third, nameAt: 3 }
        : undefined;
    default:
      return undefined;
  }
}

function leadingWords(items: Item[]): Word[] {
  const words: Word[] = [];
  for (const item of items) {
    if (item.type !== 'word') break;
    words.push(item);
  }
  return words;
}

/**
 * Reads the objects leap models from `tmsh list ltm` output, a bigip.conf, or leap's own tmsh
 * (`create …` lines): nested braces, quoted strings, relative or full names. Anything else is
 * skipped and reported, never guessed.
 */
export function parseTmsh(text: string, options: ParseOptions = {}): ParsedConfig {
  const folder = options.folder ?? 'Common';
  const statements = parseStatements(text, { file: options.file });
  const errorAt = (message: string, line: number): F5Error => {
    const where = options.file === undefined ? `line ${line}` : `${options.file}:${line}`;
    return new F5Error('LEAP_F5_PARSE', `Cannot read the F5 configuration at ${where}: ${message}.`, {
      file: options.file,
      hint: /not a number|port/.test(message)
        ? 'List the configuration with numeric ports: run `tmsh modify cli global-settings service number` first, then `tmsh -q list ltm recursive`.'
        : 'Give --current the output of `tmsh -q list ltm recursive` (or a bigip.conf) unchanged.',
    });
  };
  const context: ReadContext = {
    ref: (name) => (name.startsWith('/') ? name : `${RELATIVE}${name}`),
    port(value, line) {
      if (value === '*' || /^[0-9]+$/.test(value)) return value;
      const port = SERVICE_PORTS[value];
      if (port === undefined) throw errorAt(`the port "${value}" is a service name leap does not know`, line);
      return port;
    },
    error: errorAt,
  };

  const objects: F5Object[] = [];
  const skipped: SkippedStatement[] = [];
  for (const statement of statements) {
    const object = readStatement(statement, folder, context, skipped);
    if (object !== undefined) objects.push(object);
  }
  if (objects.length === 0) {
    throw new F5Error(
      'LEAP_F5_PARSE_EMPTY',
      `No F5 object (pool, virtual server, monitor, node …) found in ${options.file ?? 'the configuration text'}.`,
      {
        file: options.file,
        hint: 'Give --current the output of `tmsh -q list ltm recursive` run on the BIG-IP (or its /config/bigip.conf and /config/partitions/*/bigip.conf).',
      },
    );
  }
  resolveRelative(objects, folder);
  return { objects, skipped };
}

function readStatement(
  statement: Statement,
  folder: string,
  context: ReadContext,
  skipped: SkippedStatement[],
): F5Object | undefined {
  let items = statement.items;
  const first = items[0];
  if (first?.type === 'word' && first.text === 'tmsh') items = items.slice(1);
  const verbItem = items[0];
  const verb =
    verbItem?.type === 'word' && (verbItem.text === 'create' || verbItem.text === 'modify') ? verbItem.text : undefined;
  if (verb !== undefined) items = items.slice(1);
  const words = leadingWords(items).map((word) => word.text);
  const header = recognise(words);
  const skip = (): undefined => {
    skipped.push({
      line: statement.line,
      header: leadingWords(statement.items)
        .slice(0, 5)
        .map((w) => w.text)
        .join(' '),
    });
    return undefined;
  };
  // A modify of anything but a SNAT translation is a partial object: not a configuration.
  if (header === undefined || (verb === 'modify' && header.kind !== 'snat-translation')) return skip();
  const nameWord = words[header.nameAt];
  if (nameWord === undefined) throw context.error(`${words.join(' ')} has no name`, statement.line);
  const name =
    header.kind === 'partition'
      ? nameWord.replace(/^\//, '')
      : nameWord.startsWith('/')
        ? nameWord
        : `/${folder}/${nameWord}`;
  const rest = items.slice(header.nameAt + 1);
  const only = rest[0];
  const body = rest.length === 1 && only?.type === 'block' ? only.items : rest;

  if (header.kind === 'rule') {
    const source = statement.source;
    const inner = rest.length === 1 && only?.type === 'block';
    const start = inner ? only.start + 1 : rest[0]?.start;
    const end = inner ? only.end - 1 : rest[rest.length - 1]?.end;
    const definition = start === undefined || end === undefined ? '' : source.slice(start, end).trim();
    return { kind: 'rule', name, definition };
  }
  const object: Record<string, unknown> = { kind: header.kind, name };
  if (header.type !== undefined) object.type = header.type;
  Object.assign(object, structuredClone(DEFAULTS[header.kind] ?? {}));
  readProperties(header.kind, body, statement.line, object, context);
  if (header.kind === 'node' && typeof object.address !== 'string')
    throw context.error(`node ${name} has no address`, statement.line);
  if (header.kind === 'virtual' && typeof object.destination !== 'string')
    throw context.error(`virtual server ${name} has no destination`, statement.line);
  return object as unknown as F5Object;
}

/** A relative reference names an object in the listing's folder if there is one, else a /Common built-in. */
function resolveRelative(objects: F5Object[], folder: string): void {
  const names = new Set(objects.map((object) => object.name));
  const resolve = (value: string): string => {
    if (!value.startsWith(RELATIVE)) return value;
    const name = value.slice(RELATIVE.length);
    const local = `/${folder}/${name}`;
    return names.has(local) ? local : `/Common/${name}`;
  };
  const resolveAll = (value: string): string => value.split(' ').map(resolve).join(' ');
  for (const object of objects) {
    switch (object.kind) {
      case 'monitor':
        if (object.run !== undefined) object.run = resolve(object.run);
        break;
      case 'pool':
        if (object.monitor !== null) object.monitor = resolveAll(object.monitor);
        for (const member of object.members) member.node = resolve(member.node);
        break;
      case 'virtual':
        if (object.pool !== null) object.pool = resolve(object.pool);
        if (object.persist !== null) object.persist = resolve(object.persist);
        object.snat = resolve(object.snat);
        object.rules = object.rules.map(resolve);
        for (const profile of object.profiles) profile.name = resolve(profile.name);
        break;
      case 'profile':
        if (object.cert !== undefined) object.cert = resolve(object.cert);
        if (object.key !== undefined) object.key = resolve(object.key);
        break;
      case 'ssl-cert':
        if (object.key !== undefined) object.key = resolve(object.key);
        break;
      default:
        break;
    }
  }
}

export function configKeys(config: F5Config): Set<string> {
  return new Set(config.objects.map(objectKey));
}
