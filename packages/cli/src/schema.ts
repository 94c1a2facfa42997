/**
 * A small schema language for leap.yaml: it checks a parsed document, fills in defaults, collects every problem
 * with its path, and describes itself as JSON Schema. Written here rather than taken from a schema library because
 * every `leap` command reads leap.yaml, and loading such a library (about a hundred modules) doubled the time
 * `leap status` takes to answer.
 */

export type Path = ReadonlyArray<string | number>;

export interface Issue {
  path: Path;
  message: string;
}

export interface Schema<Out> {
  /** Checks `value` and returns it with defaults filled in; problems go to `issues`. */
  parse(value: unknown, path: Path, issues: Issue[]): Out;
  /** The JSON Schema of what a user may write. */
  json(): Record<string, unknown>;
  /** What a value of this schema is, in messages: "string", "object", … */
  readonly expected: string;
  /** Set by `optional()` and `withDefault()`: the key may be absent from its object. */
  readonly omittable?: 'optional' | 'default';
}

export type Infer<S> = S extends Schema<infer Out> ? Out : never;

type Shape = Record<string, Schema<unknown>>;
type OptionalKeys<S extends Shape> = { [K in keyof S]: S[K]['omittable'] extends 'optional' ? K : never }[keyof S];
type ObjectOut<S extends Shape> = { [K in Exclude<keyof S, OptionalKeys<S>>]: Infer<S[K]> } & {
  [K in OptionalKeys<S>]?: Infer<S[K]>;
};

interface Described {
  description?: string;
}

/** How `value` looks to a person reading a message: "number", "array", "null", "undefined". */
export function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function typeIssue(expected: string, value: unknown, path: Path, issues: Issue[]): void {
  issues.push({ path, message: `Invalid input: expected ${expected}, received ${kindOf(value)}` });
}

function withDescription(json: Record<string, unknown>, options: Described): Record<string, unknown> {
  return options.description === undefined ? json : { ...json, description: options.description };
}

export function string(
  options: Described & { pattern?: RegExp; patternMessage?: string; minLength?: number; typeMessage?: string } = {},
): Schema<string> {
  return {
    expected: 'string',
    parse(value, path, issues) {
      if (typeof value !== 'string') {
        if (options.typeMessage === undefined) typeIssue('string', value, path, issues);
        else issues.push({ path, message: options.typeMessage });
        return value as string;
      }
      if (options.minLength !== undefined && value.length < options.minLength)
        issues.push({ path, message: `Too small: expected string to have >=${options.minLength} characters` });
      if (options.pattern !== undefined && !options.pattern.test(value))
        issues.push({ path, message: options.patternMessage ?? `Invalid string: must match ${options.pattern}` });
      return value;
    },
    json: () =>
      withDescription(
        {
          type: 'string',
          ...(options.minLength === undefined ? {} : { minLength: options.minLength }),
          ...(options.pattern === undefined ? {} : { pattern: options.pattern.source }),
        },
        options,
      ),
  };
}

/** An integer; `min` is inclusive, `positive` means > 0. */
export function integer(options: Described & { min?: number; positive?: boolean } = {}): Schema<number> {
  return {
    expected: 'int',
    parse(value, path, issues) {
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        typeIssue('number', value, path, issues);
        return value as number;
      }
      if (!Number.isInteger(value)) typeIssue('int', value, path, issues);
      else if (options.positive && value <= 0) issues.push({ path, message: 'Too small: expected number to be >0' });
      else if (options.min !== undefined && value < options.min)
        issues.push({ path, message: `Too small: expected number to be >=${options.min}` });
      return value;
    },
    json: () =>
      withDescription(
        {
          type: 'integer',
          ...(options.positive ? { exclusiveMinimum: 0 } : {}),
          ...(options.min === undefined ? {} : { minimum: options.min }),
        },
        options,
      ),
  };
}

export function boolean(options: Described = {}): Schema<boolean> {
  return {
    expected: 'boolean',
    parse(value, path, issues) {
      // `yes`/`no` are strings in YAML 1.2: saying so beats a silent false.
      if (typeof value !== 'boolean') typeIssue('boolean (true or false)', value, path, issues);
      return value as boolean;
    },
    json: () => withDescription({ type: 'boolean' }, options),
  };
}

export function oneOf<const V extends string>(values: readonly V[], options: Described = {}): Schema<V> {
  return {
    expected: 'string',
    parse(value, path, issues) {
      if (!values.includes(value as V))
        issues.push({ path, message: `Invalid option: expected one of ${values.map((v) => `"${v}"`).join('|')}` });
      return value as V;
    },
    json: () => withDescription({ type: 'string', enum: [...values] }, options),
  };
}

export function unknownValue(): Schema<unknown> {
  return { expected: 'unknown', parse: (value) => value, json: () => ({}) };
}

export function array<T>(item: Schema<T>, options: Described & { min?: number } = {}): Schema<T[]> {
  return {
    expected: 'array',
    parse(value, path, issues) {
      if (!Array.isArray(value)) {
        typeIssue('array', value, path, issues);
        return value as T[];
      }
      if (options.min !== undefined && value.length < options.min)
        issues.push({ path, message: `Too small: expected array to have >=${options.min} items` });
      return value.map((v, i) => item.parse(v, [...path, i], issues));
    },
    json: () =>
      withDescription(
        { type: 'array', items: item.json(), ...(options.min === undefined ? {} : { minItems: options.min }) },
        options,
      ),
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A map with free keys. */
export function record<T>(value: Schema<T>, options: Described = {}): Schema<Record<string, T>> {
  return mapOf(value, undefined, options);
}

/** A map whose keys are some of `keys`. */
export function partialRecord<const K extends string, T>(
  keys: readonly K[],
  value: Schema<T>,
  options: Described = {},
): Schema<Partial<Record<K, T>>> {
  return mapOf(value, keys, options) as unknown as Schema<Partial<Record<K, T>>>;
}

function mapOf<T>(
  value: Schema<T>,
  keys: readonly string[] | undefined,
  options: Described,
): Schema<Record<string, T>> {
  return {
    expected: 'object',
    parse(input, path, issues) {
      if (!isPlainObject(input)) {
        typeIssue('record', input, path, issues);
        return input as Record<string, T>;
      }
      const out: Record<string, T> = {};
      for (const [key, v] of Object.entries(input)) {
        if (keys !== undefined && !keys.includes(key)) issues.push({ path, message: `Unrecognized key: "${key}"` });
        else out[key] = value.parse(v, [...path, key], issues);
      }
      return out;
    },
    json: () =>
      withDescription(
        keys === undefined
          ? { type: 'object', additionalProperties: value.json() }
          : {
              type: 'object',
              properties: Object.fromEntries(keys.map((k) => [k, value.json()])),
              additionalProperties: false,
            },
        options,
      ),
  };
}

/** An object that refuses keys it does not know. */
export function object<S extends Shape>(shape: S, options: Described = {}): Schema<ObjectOut<S>> {
  return {
    expected: 'object',
    parse(input, path, issues) {
      if (!isPlainObject(input)) {
        typeIssue('object', input, path, issues);
        return input as ObjectOut<S>;
      }
      const unknown = Object.keys(input).filter((key) => !(key in shape));
      if (unknown.length > 0)
        issues.push({
          path,
          message: `Unrecognized key${unknown.length > 1 ? 's' : ''}: ${unknown.map((k) => `"${k}"`).join(', ')}`,
        });
      const out: Record<string, unknown> = {};
      for (const [key, schema] of Object.entries(shape)) {
        const value = schema.parse(input[key], [...path, key], issues);
        if (value !== undefined) out[key] = value;
      }
      return out as ObjectOut<S>;
    },
    json() {
      const required = Object.entries(shape)
        .filter(([, schema]) => schema.omittable === undefined)
        .map(([key]) => key);
      return withDescription(
        {
          type: 'object',
          properties: Object.fromEntries(Object.entries(shape).map(([key, schema]) => [key, schema.json()])),
          ...(required.length > 0 ? { required } : {}),
          additionalProperties: false,
        },
        options,
      );
    },
  };
}

/**
 * The first branch whose type matches. A value that matches no branch's type is "expected string or object"; a
 * value of a branch's type gets that branch's own messages, never a bare "Invalid input".
 */
export function union<A, B>(branches: [Schema<A>, Schema<B>], options: Described = {}): Schema<A | B> {
  return {
    expected: branches.map((b) => b.expected).join(' or '),
    parse(value, path, issues) {
      const branch = branches.find((b) => b.expected === kindOf(value));
      if (branch === undefined) {
        issues.push({ path, message: `Invalid input: expected ${branches.map((b) => b.expected).join(' or ')}` });
        return value as A | B;
      }
      return branch.parse(value, path, issues);
    },
    json: () => withDescription({ anyOf: branches.map((b) => b.json()) }, options),
  };
}

/** A rule over a whole value, checked once its parts are valid; the message goes to `path` below the value. */
export interface Rule<T> {
  check(value: T): boolean;
  message: string;
  path?: Path;
}

export function refine<T>(schema: Schema<T>, rules: Array<Rule<NoInfer<T>>>): Schema<T> {
  return {
    ...schema,
    parse(value, path, issues) {
      const before = issues.length;
      const out = schema.parse(value, path, issues);
      if (issues.length === before)
        for (const rule of rules)
          if (!rule.check(out)) issues.push({ path: [...path, ...(rule.path ?? [])], message: rule.message });
      return out;
    },
  };
}

export function optional<T>(schema: Schema<T>): Schema<T | undefined> & { omittable: 'optional' } {
  return {
    expected: schema.expected,
    omittable: 'optional',
    parse: (value, path, issues) => (value === undefined ? undefined : schema.parse(value, path, issues)),
    json: () => schema.json(),
  };
}

/** `fallback` when absent; a function so that each parse gets its own copy. */
export function withDefault<T>(schema: Schema<T>, fallback: () => NoInfer<T>): Schema<T> & { omittable: 'default' } {
  return {
    expected: schema.expected,
    omittable: 'default',
    parse: (value, path, issues) => (value === undefined ? fallback() : schema.parse(value, path, issues)),
    json: () => ({ ...schema.json(), default: fallback() }),
  };
}

/** One line per problem, as `✖ message` and `  → at a.b[0].c`. */
export function formatIssues(issues: readonly Issue[]): string {
  return issues
    .map((issue) => {
      const at = issue.path
        .map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? part : `.${part}`))
        .join('');
      return at === '' ? `✖ ${issue.message}` : `✖ ${issue.message}\n  → at ${at}`;
    })
    .join('\n');
}
