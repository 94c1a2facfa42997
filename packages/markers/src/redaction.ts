/** Keys whose values never reach the journal, matched case-insensitively anywhere in a key name. */
export const DEFAULT_REDACT_KEYS: readonly string[] = [
  'password',
  'passwd',
  'secret',
  'token',
  'passphrase',
  'private_key',
  'privatekey',
  'api_key',
  'apikey',
  'credential',
];
export const REDACTED = '[redacted]';

/** What must never be written: values under certain key names, and known secret values wherever they appear. */
export interface Redaction {
  keys: readonly string[];
  secrets: ReadonlySet<string>;
}

/** A deep copy of `value` with every secret removed; cycles become "[circular]". */
export function redact(value: unknown, redaction: Redaction, seen: WeakSet<object> = new WeakSet()): unknown {
  if (typeof value === 'string') return scrubString(value, redaction.secrets);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => redact(item, redaction, seen));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const lower = key.toLowerCase();
    out[key] = redaction.keys.some((k) => lower.includes(k.toLowerCase())) ? REDACTED : redact(item, redaction, seen);
  }
  return out;
}

function scrubString(text: string, secrets: ReadonlySet<string>): string {
  let out = text;
  for (const secret of secrets) {
    if (secret !== '' && out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  return out;
}
