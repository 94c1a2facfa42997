import { createHash } from 'node:crypto';

/**
 * Deterministic values derived from the lab's seed. Every value is keyed by a label, not drawn from a stream,
 * so adding a value never changes the others and two labs with the same seed agree on all of them.
 */
export class Seeded {
  constructor(readonly seed: string) {}

  /** `length` hex characters for `label`. */
  hex(label: string, length: number): string {
    let out = '';
    for (let block = 0; out.length < length; block++) {
      out += createHash('sha256').update(`${this.seed}\0${label}\0${block}`).digest('hex');
    }
    return out.slice(0, length);
  }

  /** An integer in [0, max) for `label`. */
  int(label: string, max: number): number {
    return Number.parseInt(this.hex(label, 12), 16) % max;
  }

  /** A version-4-shaped UUID for `label`. */
  uuid(label: string): string {
    const h = this.hex(label, 32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }
}
