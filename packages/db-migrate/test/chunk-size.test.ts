import { describe, expect, it } from 'vitest';
import { ChunkSizer } from '../src/chunk-size.js';

describe('ChunkSizer', () => {
  const sizer = () => new ChunkSizer({ initial: 500, min: 50, max: 20_000, budgetMs: 100 });

  it('grows at most 1.5x per fast chunk and never past the budget or the maximum', () => {
    const s = sizer();
    expect(s.record(500, 1)).toBe(750);
    expect(s.record(750, 1)).toBe(1125);
    const t = new ChunkSizer({ initial: 15_000, min: 50, max: 20_000, budgetMs: 100 });
    expect(t.record(15_000, 1)).toBe(20_000);
  });

  it('shrinks the next chunk at once to what the budget allows after a slow one', () => {
    const s = sizer();
    s.record(500, 10);
    s.record(750, 15);
    // 0.1 ms per row: 1000 rows fit in 100 ms
    expect(s.record(1125, 112.5)).toBe(1000);
    // a slow chunk (0.5 ms per row) drops it to 200 rows right away
    expect(s.record(1000, 500)).toBe(200);
    // and it recovers only gradually
    expect(s.record(200, 20)).toBe(250);
    expect(s.record(50, 0)).toBeGreaterThanOrEqual(50);
  });

  it('keeps the minimum whatever the cost', () => {
    expect(sizer().record(500, 100_000)).toBe(50);
  });
});
