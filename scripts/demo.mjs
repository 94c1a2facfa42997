#!/usr/bin/env node
// npm run demo: the newcomer's first run. Builds a Kilo lab in a temp folder, runs the whole leap to r14.1.0
// non-interactively through the built `leap` binary, prints the report, and destroys the lab.
// eslint-disable-next-line no-restricted-imports -- argument arrays only, no shell
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const leapBin = fileURLToPath(new URL('../packages/cli/bin/leap.js', import.meta.url));
const base = mkdtempSync(join(tmpdir(), 'leap-demo-'));
const lab = join(base, 'lab');
const config = ['--config', join(lab, 'leap.yaml')];
const started = Date.now();

function leap(args, what) {
  console.log(`\n$ leap ${args.join(' ')}`);
  const result = spawnSync(process.execPath, [leapBin, ...args], { stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`\ndemo: ${what} failed (exit ${result.status}); the lab is kept in ${lab} for a look.`);
    console.error(`      remove it with: node ${leapBin} lab destroy ${lab}`);
    process.exit(result.status ?? 1);
  }
}

leap(['lab', 'create', lab], 'creating the lab');
leap([...config, 'plan'], 'the plan');
leap([...config, 'run', '--confirm-source', 'kilo', '--confirm-redeploy', '--plain'], 'the leap');
leap([...config, 'status'], 'the status');
leap([...config, 'report'], 'the report');
leap(['lab', 'destroy', lab], 'destroying the lab');
rmSync(base, { recursive: true, force: true });
console.log(`\ndemo: a Kilo -> r14.1.0 leap on a lab, done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
