import type { F5Kind, F5Object } from './model.js';
import { folderOf } from './model.js';
import { quote, type Block, type Item, type Word } from './tmsh-syntax.js';

/**
 * How each modelled field is written as a tmsh property and read back. One table per kind, used by
 * the emitter (create and modify) and the parser, so the two cannot drift apart.
 */
export interface ReadContext {
  /** A reference as written; relative names are resolved after the whole file is read. */
  ref(text: string): string;
  /** A port as written (`80`, `http`, `*`). */
  port(text: string, line: number): string;
  error(message: string, line: number): Error;
}

export class Cursor {
  index = 0;
  constructor(
    readonly items: Item[],
    readonly line: number,
  ) {}
  peek(): Item | undefined {
    return this.items[this.index];
  }
  next(): Item | undefined {
    const item = this.items[this.index];
    this.index += 1;
    return item;
  }
  word(context: ReadContext, what: string): Word {
    const item = this.next();
    if (item?.type !== 'word') throw context.error(`expected a value for ${what}`, item?.line ?? this.line);
    return item;
  }
  block(context: ReadContext, what: string): Block {
    const item = this.next();
    if (item?.type !== 'block') throw context.error(`expected { … } after ${what}`, item?.line ?? this.line);
    return item;
  }
}

type Fields = Record<string, unknown>;

export interface FieldCodec {
  field: string;
  key: string;
  /** The tmsh fragment for the value, given the whole object (for the folder). */
  write(value: unknown, object: Fields): string;
  read(cursor: Cursor, object: Fields, context: ReadContext): void;
}

/** Values a field takes when the device does not print it; the emitter leaves them out of a create. */
export const DEFAULTS: Partial<Record<F5Kind, Fields>> = {
  pool: {
    loadBalancingMode: 'round-robin',
    members: [],
    minActiveMembers: 0,
    monitor: null,
    serviceDownAction: 'none',
    slowRampTime: 10,
  },
  virtual: {
    mask: '255.255.255.255',
    ipProtocol: 'any',
    pool: null,
    profiles: [],
    persist: null,
    mirror: false,
    source: '0.0.0.0/0',
    snat: 'none',
    rules: [],
  },
  snatpool: { members: [] },
};

const word = (field: string, key: string): FieldCodec => ({
  field,
  key,
  write: (value) => `${key} ${quote(String(value))}`,
  read(cursor, object, context) {
    const value = cursor.word(context, key);
    if (value.quoted || value.text !== 'none') object[field] = value.text;
  },
});

const number = (field: string, key: string, words: readonly string[] = []): FieldCodec => ({
  field,
  key,
  write: (value) => `${key} ${String(value)}`,
  read(cursor, object, context) {
    const value = cursor.word(context, key);
    if (words.includes(value.text)) return;
    if (!/^-?[0-9]+$/.test(value.text)) throw context.error(`${key} "${value.text}" is not a number`, value.line);
    object[field] = Number(value.text);
  },
});

/** A reference to another object; `none` is null when the field is nullable. */
const reference = (field: string, key: string, nullable: boolean): FieldCodec => ({
  field,
  key,
  write: (value) => `${key} ${value === null ? 'none' : String(value)}`,
  read(cursor, object, context) {
    const value = cursor.word(context, key);
    if (value.text === 'none' && !value.quoted) {
      if (nullable) object[field] = null;
      return;
    }
    object[field] = context.ref(value.text);
  },
});

/** A parent profile or monitor: a relative name is a built-in in /Common. */
const parent = (field: string): FieldCodec => ({
  field,
  key: 'defaults-from',
  write: (value) => `defaults-from ${String(value)}`,
  read(cursor, object, context) {
    const value = cursor.word(context, 'defaults-from').text;
    object[field] = value.startsWith('/') ? value : `/Common/${value}`;
  },
});

function skipModifier(cursor: Cursor): void {
  const next = cursor.peek();
  if (next?.type === 'word' && next.text === 'replace-all-with') cursor.next();
}

function pathPort(text: string, context: ReadContext, line: number): { path: string; port: string } {
  const colon = text.lastIndexOf(':');
  if (colon === -1) throw context.error(`"${text}" has no :port`, line);
  return { path: text.slice(0, colon), port: context.port(text.slice(colon + 1), line) };
}

function stripFolder(text: string): string {
  return text.startsWith('/') ? text.slice(text.lastIndexOf('/') + 1) : text;
}

const members: FieldCodec = {
  field: 'members',
  key: 'members',
  write(value) {
    const list = value as { node: string; port: number; priorityGroup?: number }[];
    if (list.length === 0) return 'members none';
    const items = list.map(
      (m) => `${m.node}:${m.port}${m.priorityGroup === undefined ? '' : ` { priority-group ${m.priorityGroup} }`}`,
    );
    return `members replace-all-with { ${items.join(' ')} }`;
  },
  read(cursor, object, context) {
    skipModifier(cursor);
    const value = cursor.next();
    if (value?.type === 'word' && value.text === 'none') {
      object.members = [];
      return;
    }
    if (value?.type !== 'block') throw context.error('expected { … } after members', value?.line ?? cursor.line);
    const list: { node: string; port: number; priorityGroup?: number }[] = [];
    const inner = new Cursor(value.items, value.line);
    while (inner.peek() !== undefined) {
      const name = inner.word(context, 'a pool member');
      const { path, port } = pathPort(name.text, context, name.line);
      const member: { node: string; port: number; priorityGroup?: number } = {
        node: context.ref(path),
        port: Number(port),
      };
      if (inner.peek()?.type === 'block') {
        const props = new Cursor((inner.next() as Block).items, name.line);
        while (props.peek() !== undefined) {
          const key = props.word(context, 'a member property').text;
          const v = props.next();
          if (key === 'priority-group' && v?.type === 'word' && v.text !== '0') member.priorityGroup = Number(v.text);
        }
      }
      list.push(member);
    }
    object.members = list;
  },
};

const poolMonitor: FieldCodec = {
  field: 'monitor',
  key: 'monitor',
  write: (value) => `monitor ${value === null ? 'none' : String(value)}`,
  read(cursor, object, context) {
    const first = cursor.word(context, 'monitor');
    if (first.text === 'none') {
      object.monitor = null;
      return;
    }
    if (first.text === 'min') {
      // "min N of { a b }": kept as written; leap never generates it, so any target differs.
      const count = cursor.word(context, 'monitor min').text;
      cursor.word(context, 'monitor min N of');
      const block = cursor.block(context, 'monitor min N of');
      object.monitor = `min ${count} of { ${block.items.map((i) => (i.type === 'word' ? context.ref(i.text) : '')).join(' ')} }`;
      return;
    }
    let value = context.ref(first.text);
    while (cursor.peek()?.type === 'word' && (cursor.peek() as Word).text === 'and') {
      cursor.next();
      value += ` and ${context.ref(cursor.word(context, 'monitor … and').text)}`;
    }
    object.monitor = value;
  },
};

const destination: FieldCodec = {
  field: 'destination',
  key: 'destination',
  write: (value, object) => `destination /${folderOf(String(object.name)) ?? 'Common'}/${String(value)}`,
  read(cursor, object, context) {
    const value = cursor.word(context, 'destination');
    const { path, port } = pathPort(stripFolder(value.text), context, value.line);
    object.destination = `${path}:${port}`;
  },
};

const monitorDestination: FieldCodec = {
  field: 'destination',
  key: 'destination',
  write: (value) => `destination ${String(value)}`,
  read(cursor, object, context) {
    const value = cursor.word(context, 'destination');
    const { path, port } = pathPort(value.text, context, value.line);
    object.destination = `${path}:${port}`;
  },
};

const profiles: FieldCodec = {
  field: 'profiles',
  key: 'profiles',
  write(value) {
    const list = value as { name: string; context?: string }[];
    if (list.length === 0) return 'profiles none';
    return `profiles replace-all-with { ${list.map((p) => `${p.name} { ${p.context === undefined ? '' : `context ${p.context} `}}`).join(' ')} }`;
  },
  read(cursor, object, context) {
    skipModifier(cursor);
    const value = cursor.next();
    if (value?.type === 'word' && value.text === 'none') {
      object.profiles = [];
      return;
    }
    if (value?.type !== 'block') throw context.error('expected { … } after profiles', value?.line ?? cursor.line);
    const list: { name: string; context?: string }[] = [];
    const inner = new Cursor(value.items, value.line);
    while (inner.peek() !== undefined) {
      const name = inner.word(context, 'a profile');
      const profile: { name: string; context?: string } = { name: context.ref(name.text) };
      if (inner.peek()?.type === 'block') {
        const props = new Cursor((inner.next() as Block).items, name.line);
        while (props.peek() !== undefined) {
          const key = props.word(context, 'a profile property').text;
          const v = props.next();
          if (key === 'context' && v?.type === 'word' && (v.text === 'clientside' || v.text === 'serverside'))
            profile.context = v.text;
        }
      }
      list.push(profile);
    }
    object.profiles = list;
  },
};

const persist: FieldCodec = {
  field: 'persist',
  key: 'persist',
  write: (value) => (value === null ? 'persist none' : `persist replace-all-with { ${String(value)} }`),
  read(cursor, object, context) {
    skipModifier(cursor);
    const value = cursor.next();
    if (value?.type === 'word' && value.text === 'none') {
      object.persist = null;
      return;
    }
    if (value?.type !== 'block') throw context.error('expected { … } after persist', value?.line ?? cursor.line);
    const first = value.items.find((item): item is Word => item.type === 'word');
    object.persist = first === undefined ? null : context.ref(first.text);
  },
};

const rules: FieldCodec = {
  field: 'rules',
  key: 'rules',
  write: (value) => ((value as string[]).length === 0 ? 'rules none' : `rules { ${(value as string[]).join(' ')} }`),
  read(cursor, object, context) {
    skipModifier(cursor);
    const value = cursor.next();
    if (value?.type === 'word' && value.text === 'none') {
      object.rules = [];
      return;
    }
    if (value?.type !== 'block') throw context.error('expected { … } after rules', value?.line ?? cursor.line);
    object.rules = value.items
      .filter((item): item is Word => item.type === 'word')
      .map((item) => context.ref(item.text));
  },
};

const snat: FieldCodec = {
  field: 'snat',
  key: 'source-address-translation',
  write(value) {
    const text = String(value);
    if (text === 'none' || text === 'automap') return `source-address-translation { type ${text} }`;
    return `source-address-translation { pool ${text} type snat }`;
  },
  read(cursor, object, context) {
    const block = cursor.block(context, 'source-address-translation');
    const inner = new Cursor(block.items, block.line);
    let type = 'none';
    let pool: string | undefined;
    while (inner.peek() !== undefined) {
      const key = inner.word(context, 'a source-address-translation property').text;
      const value = inner.word(context, key).text;
      if (key === 'type') type = value;
      if (key === 'pool' && value !== 'none') pool = context.ref(value);
    }
    object.snat = type === 'snat' && pool !== undefined ? pool : type === 'automap' ? 'automap' : 'none';
  },
};

/** Before 11.3 the device wrote `snatpool NAME` / `snat automap` instead of source-address-translation. */
const legacySnatPool: FieldCodec = {
  ...reference('snat', 'snatpool', false),
  write: () => '',
};
const legacySnat: FieldCodec = {
  field: 'snat',
  key: 'snat',
  write: () => '',
  read(cursor, object, context) {
    const value = cursor.word(context, 'snat').text;
    object.snat = value === 'automap' ? 'automap' : 'none';
  },
};

const mirror: FieldCodec = {
  field: 'mirror',
  key: 'mirror',
  write: (value) => `mirror ${value === true ? 'enabled' : 'disabled'}`,
  read(cursor, object, context) {
    object.mirror = cursor.word(context, 'mirror').text === 'enabled';
  },
};

const snatMembers: FieldCodec = {
  field: 'members',
  key: 'members',
  write: (value, object) =>
    `members replace-all-with { ${(value as string[]).map((ip) => `/${folderOf(String(object.name)) ?? 'Common'}/${ip}`).join(' ')} }`,
  read(cursor, object, context) {
    skipModifier(cursor);
    const block = cursor.block(context, 'members');
    object.members = block.items
      .filter((item): item is Word => item.type === 'word')
      .map((item) => stripFolder(item.text));
  },
};

/** v12+ lists the client-ssl certificate inside cert-key-chain only. */
const certKeyChain: FieldCodec = {
  field: 'cert',
  key: 'cert-key-chain',
  write: () => '',
  read(cursor, object, context) {
    const block = cursor.block(context, 'cert-key-chain');
    const entry = block.items.find((item): item is Block => item.type === 'block');
    if (entry === undefined) return;
    const inner = new Cursor(entry.items, entry.line);
    while (inner.peek() !== undefined) {
      const key = inner.word(context, 'a cert-key-chain property').text;
      const value = inner.next();
      if (value?.type !== 'word') continue;
      if (key === 'cert' && object.cert === undefined && value.text !== 'none') object.cert = context.ref(value.text);
      if (key === 'key' && object.key === undefined && value.text !== 'none') object.key = context.ref(value.text);
    }
  },
};

export const CODECS: Record<F5Kind, FieldCodec[]> = {
  partition: [],
  snatpool: [snatMembers],
  'snat-translation': [number('ipIdleTimeout', 'ip-idle-timeout', ['indefinite'])],
  'external-monitor-file': [word('sourcePath', 'source-path')],
  monitor: [
    parent('defaultsFrom'),
    monitorDestination,
    number('interval', 'interval'),
    number('timeout', 'timeout'),
    reference('run', 'run', false),
    word('send', 'send'),
    word('recv', 'recv'),
    number('count', 'count'),
    word('database', 'database'),
    word('debug', 'debug'),
    number('recvColumn', 'recv-column', ['none']),
    number('recvRow', 'recv-row', ['none']),
    number('timeUntilUp', 'time-until-up'),
    word('username', 'username'),
  ],
  rule: [],
  'ssl-key': [number('keySize', 'key-size')],
  'ssl-cert': [reference('key', 'key', false), word('commonName', 'common-name'), number('lifetime', 'lifetime')],
  profile: [
    parent('defaultsFrom'),
    reference('cert', 'cert', false),
    reference('key', 'key', false),
    word('headerInsert', 'header-insert'),
    certKeyChain,
  ],
  persistence: [
    parent('defaultsFrom'),
    word('cookieName', 'cookie-name'),
    word('matchAcrossServices', 'match-across-services'),
    number('timeout', 'timeout', ['indefinite']),
  ],
  node: [word('address', 'address')],
  pool: [
    word('loadBalancingMode', 'load-balancing-mode'),
    members,
    number('minActiveMembers', 'min-active-members'),
    poolMonitor,
    word('serviceDownAction', 'service-down-action'),
    number('slowRampTime', 'slow-ramp-time'),
  ],
  virtual: [
    destination,
    word('ipProtocol', 'ip-protocol'),
    word('mask', 'mask'),
    mirror,
    reference('pool', 'pool', true),
    persist,
    profiles,
    rules,
    word('source', 'source'),
    snat,
    legacySnatPool,
    legacySnat,
  ],
};

/** Properties that stand alone (no value) in `tmsh list` output. */
export const FLAGS: ReadonlySet<string> = new Set([
  'enabled',
  'disabled',
  'ip-forward',
  'l2-forward',
  'reject',
  'internal',
  'stateless',
  'dhcp-relay',
  'vlans-enabled',
  'vlans-disabled',
]);

function equalValues(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The tmsh properties of an object; `fields` limits them (modify), and a create leaves out defaults. */
export function writeProperties(object: F5Object, fields?: readonly string[]): string {
  const values = object as unknown as Fields;
  const defaults = DEFAULTS[object.kind] ?? {};
  const parts: string[] = [];
  for (const codec of CODECS[object.kind]) {
    const value = values[codec.field];
    if (value === undefined) continue;
    if (fields === undefined ? equalValues(value, defaults[codec.field]) : !fields.includes(codec.field)) continue;
    const text = codec.write(value, values);
    if (text !== '') parts.push(text);
  }
  return parts.join(' ');
}

/** Reads a property list into the object's fields; unknown properties are skipped. */
export function readProperties(kind: F5Kind, items: Item[], line: number, object: Fields, context: ReadContext): void {
  const codecs = new Map(CODECS[kind].map((codec) => [codec.key, codec]));
  const cursor = new Cursor(items, line);
  while (cursor.peek() !== undefined) {
    const key = cursor.next() as Item;
    if (key.type === 'block') continue;
    const codec = codecs.get(key.text);
    if (codec !== undefined) {
      codec.read(cursor, object, context);
      continue;
    }
    if (FLAGS.has(key.text)) continue;
    if (key.text === 'monitor') {
      poolMonitor.read(cursor, {}, context);
      continue;
    }
    skipModifier(cursor);
    cursor.next();
  }
}
