import { describe, expect, it } from 'vitest';
import { serializeInventory, type Inventory } from '../src/index.js';

/** The straightforward definition: rebuild every object with sorted keys, then stringify. */
function reference(value: unknown): string {
  const sortKeys = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sortKeys);
    if (typeof v !== 'object' || v === null) return v;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(v).sort()) out[key] = sortKeys((v as Record<string, unknown>)[key]);
    return out;
  };
  return `${JSON.stringify(sortKeys(value), null, 4)}\n`;
}

describe('serializeInventory', () => {
  it('writes what sorting every object and JSON.stringify with 4 spaces write', () => {
    const inventory = {
      _meta: {
        hostvars: { b: { z: 1, a: [3, { y: null, x: undefined }], '10': 'ten', '9': 'nine', m: {} }, a: { ok: true } },
      },
      zeta: { hosts: ['h2', 'h1'], children: [] },
      alpha: { children: ['zeta'], hosts: [] },
      all: {
        vars: { date: new Date(0), list: [[], {}, 'x', 1.5, -0], '': 'empty key', nested: { b: { d: 1, c: 2 }, a: 0 } },
      },
      weird: JSON.parse('{"__proto__": {"b": 1}, "a": 2}') as unknown,
    } as unknown as Inventory;
    expect(serializeInventory(inventory)).toBe(reference(inventory));
    const sparse: unknown[] = [1];
    sparse[2] = { b: 1, a: 2 };
    const withHoles = { _meta: { hostvars: {} }, g: { hosts: sparse } } as unknown as Inventory;
    expect(serializeInventory(withHoles)).toBe(reference(withHoles));
  });

  it('leaves the inventory it is given as it was', () => {
    const inventory = { _meta: { hostvars: { h: { b: 1, a: 2 } } }, g: { hosts: ['h'] } } as unknown as Inventory;
    serializeInventory(inventory);
    expect(Object.keys(inventory._meta.hostvars.h!)).toEqual(['b', 'a']);
  });
});
