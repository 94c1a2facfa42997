import { randomBytes, randomInt, randomUUID } from 'node:crypto';

function hex(length: number): string {
  return randomBytes(Math.ceil(length / 2))
    .toString('hex')
    .slice(0, length);
}

/**
 * A value for a secret key the way OSA's `pw-token-gen.py` makes one: hex characters; passwords and secrets
 * 16–63 long, tokens 64–71, keys 24 or 32, uuids a UUID. Always from node:crypto.
 */
export function generateSecret(key: string): string {
  if (/uuid$/i.test(key)) return randomUUID();
  if (/token$/i.test(key)) return hex(randomInt(64, 72));
  if (/key$/i.test(key)) return hex(randomInt(0, 2) === 0 ? 24 : 32);
  return hex(randomInt(16, 64));
}
