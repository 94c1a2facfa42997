import { createHash } from 'node:crypto';

/** A seeded pseudo-random source, so a generated inventory is the same for the same seed. Not for secrets. */
export interface Rng {
  /** An integer in [0, n). */
  below(n: number): number;
  /** `count` lowercase hex characters. */
  hex(count: number): string;
}

export function seededRng(seed: string | number): Rng {
  const digest = createHash('sha256').update(String(seed)).digest();
  let a = digest.readUInt32LE(0),
    b = digest.readUInt32LE(4),
    c = digest.readUInt32LE(8),
    d = digest.readUInt32LE(12);
  // sfc32: small, fast, and good enough for names and address picks.
  const next = (): number => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  return {
    below: (n) => Math.floor(next() * n),
    hex: (count) => {
      let out = '';
      while (out.length < count)
        out += Math.floor(next() * 4294967296)
          .toString(16)
          .padStart(8, '0');
      return out.slice(0, count);
    },
  };
}
