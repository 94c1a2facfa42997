#!/usr/bin/env node
// Installs the Debian packages the tests and the demo need when run as root; otherwise prints the one
// apt-get line to run. Exits non-zero when something is still missing.
import { aptInstall, missingPackages } from './system-deps.mjs';

const missing = missingPackages();
if (missing.length === 0) process.exit(0);
const line = `apt-get install -y ${missing.join(' ')}`;
if (process.getuid?.() !== 0) {
  console.error(`leap: missing Debian packages: ${missing.join(', ')}\nhint: run as root: ${line}`);
  process.exit(1);
}
console.error(`leap: installing Debian packages: ${missing.join(' ')}`);
if (!aptInstall(missing) || missingPackages().length > 0) {
  console.error(`leap: could not install every package; run: ${line}`);
  process.exit(1);
}
