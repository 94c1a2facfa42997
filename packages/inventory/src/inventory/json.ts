import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { InventoryError } from '../errors.js';
import type { Inventory } from '../types.js';

const hostVarsSchema = z.looseObject({
  container_networks: z
    .record(z.string(), z.looseObject({ address: z.string().optional() }))
    .nullable()
    .optional(),
  physical_host: z.string().nullable().optional(),
  component: z.string().nullable().optional(),
  properties: z.record(z.string(), z.unknown()).nullable().optional(),
});

const groupSchema = z.looseObject({
  hosts: z.array(z.string()).optional(),
  children: z.array(z.string()).optional(),
  vars: z.record(z.string(), z.unknown()).optional(),
});

export const inventorySchema = z
  .looseObject({
    _meta: z.object({ hostvars: z.record(z.string(), hostVarsSchema) }),
  })
  .superRefine((inv, ctx) => {
    for (const [name, value] of Object.entries(inv)) {
      if (name === '_meta') continue;
      const r = groupSchema.safeParse(value);
      if (!r.success)
        for (const issue of r.error.issues) ctx.addIssue({ ...issue, path: [name, ...issue.path] } as never);
    }
  });

const HINT =
  'restore openstack_inventory.json from the leap backup folder or /etc/openstack_deploy/backup_openstack_inventory.tar, then re-run';

function lineCol(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, col: offset - before.lastIndexOf('\n') };
}

/** Parses and validates an inventory; a truncated or malformed file names the line/column or the key path. */
export function parseInventory(text: string, file: string): Inventory {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (cause) {
    const message = (cause as Error).message;
    const at = /position (\d+)/.exec(message);
    const offset = at === null ? text.length : Number(at[1]);
    const { line, col } = lineCol(text, offset);
    const what =
      at === null && /end of JSON/i.test(message)
        ? 'the file ends early (truncated?)'
        : message.replace(/ in JSON at position.*$/, '');
    throw new InventoryError('LEAP_INVENTORY_JSON', `${file}:${line}:${col}: invalid JSON: ${what}`, {
      file,
      cause,
      hint: HINT,
    });
  }
  const result = inventorySchema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const path = issue.path.map(String).join('.');
    throw new InventoryError('LEAP_INVENTORY_INVALID', `${file}: ${path || '(top level)'}: ${issue.message}`, {
      file,
      hint: HINT,
    });
  }
  return result.data as Inventory;
}

export async function readInventory(file: string): Promise<Inventory> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new InventoryError('LEAP_FILE_UNREADABLE', `cannot read ${file}`, {
      file,
      cause,
      hint: 'check that the inventory exists and is readable by the user running leap',
    });
  }
  return parseInventory(text, file);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
  return out;
}

/** The generator's own format: 4-space indent, sorted keys, trailing newline. */
export function serializeInventory(inventory: Inventory): string {
  return `${JSON.stringify(sortKeys(inventory), null, 4)}\n`;
}
