import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { labAsset } from './assets.js';

/** leap.yaml's `pipUnify` for the lab: the stand-in get-pip.py with its sha256, and the stand-in wheels. */
export interface LabPipUnify {
  getPip: { file: string; sha256: string };
  wheels: string;
}

/** Empty stand-ins of the wheels r14.1.0's pins and upstream's upgrade requirements name (no index in a lab). */
export const LAB_WHEELS: readonly string[] = [
  'pip-9.0.1-py2.py3-none-any.whl',
  'setuptools-33.1.1-py2.py3-none-any.whl',
  'wheel-0.29.0-py2.py3-none-any.whl',
  'cryptography-1.7.2-cp27-cp27mu-manylinux1_x86_64.whl',
  'packaging-16.8-py2.py3-none-any.whl',
  'virtualenv-15.1.0-py2.py3-none-any.whl',
];

/**
 * dir/pip/get-pip.py (the lab's stand-in, run on a host folder by bin/lab-python) and dir/pip/wheels/: what an
 * operator downloads once to the deploy host for leap's pip-unify step. The same bytes in every lab.
 */
export function writeLabPipUnify(dir: string): LabPipUnify {
  const pipDir = join(dir, 'pip');
  const wheels = join(pipDir, 'wheels');
  mkdirSync(wheels, { recursive: true });
  const file = join(pipDir, 'get-pip.py');
  copyFileSync(labAsset('pip/get-pip.py'), file);
  chmodSync(file, 0o644);
  for (const wheel of LAB_WHEELS) writeFileSync(join(wheels, wheel), '');
  const sha256 = createHash('sha256').update(readFileSync(file)).digest('hex');
  return { getPip: { file, sha256 }, wheels };
}
