import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '@leap/contract';
import { LabError } from './errors.js';
import type { LabGaleraNode, LabInfo } from './types.js';

export const LAB_FILE = 'lab.json';

/** A lab.json being built: enough for destroyLab to clean up a half-made lab. */
export interface LabStub {
  format: 1;
  complete: false;
  dir: string;
  database?: { pid: number; datadir: string };
  galera?: { nodes: LabGaleraNode[] };
}

export type LabFile = (LabInfo & { complete: true }) | LabStub;

export async function writeLabFile(dir: string, content: LabFile): Promise<void> {
  await writeFileAtomic(join(dir, LAB_FILE), `${JSON.stringify(content, null, 2)}\n`);
}

/** Reads dir/lab.json; refuses a folder that is not a lab. */
export function readLabFile(dir: string): LabFile {
  const file = join(dir, LAB_FILE);
  if (!existsSync(file)) {
    throw new LabError('LEAP_LAB_NOT_A_LAB', `${dir} is not a leap lab (no ${LAB_FILE})`, {
      file,
      hint: 'leap lab destroy only removes folders made by leap lab create',
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new LabError('LEAP_LAB_NOT_A_LAB', `${file} is not valid JSON`, {
      file,
      cause: error,
      hint: `${file} was damaged; remove the lab folder by hand and create the lab again`,
    });
  }
  if (typeof parsed !== 'object' || parsed === null || (parsed as { format?: unknown }).format !== 1) {
    throw new LabError('LEAP_LAB_NOT_A_LAB', `${file} is not a leap lab file`, {
      file,
      hint: `leap lab commands only work on folders made by leap lab create; check the folder you named`,
    });
  }
  return parsed as LabFile;
}

/** The built lab's description (lab.json of a complete lab). */
export function readLab(dir: string): LabInfo {
  const lab = readLabFile(dir);
  if (!lab.complete) {
    throw new LabError('LEAP_LAB_INCOMPLETE', `the lab in ${dir} was not completely built`, {
      file: join(dir, LAB_FILE),
      hint: `remove it with 'leap lab destroy ${dir}' and create it again`,
    });
  }
  return lab;
}
