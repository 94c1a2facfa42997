import { chmodSync, copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { labAsset } from './assets.js';
import { readSchemaTable } from './schema-table.js';

export const MIGRATION_RELEASES = ['kilo', 'liberty', 'mitaka', 'newton'] as const;
export type MigrationRelease = (typeof MIGRATION_RELEASES)[number];

/**
 * dir/releases/<release>/bin/<command>: the stand-in migration commands with their real names, one folder per
 * release like the per-release migration venvs (kilo: only the nova-manage that migrates flavor data). Each is a small node script calling the shared lib/manage.cjs.
 */
export function writeReleaseCommands(dir: string): Record<MigrationRelease, string> {
  const root = join(dir, 'releases');
  mkdirSync(join(root, 'lib'), { recursive: true });
  // CommonJS whatever package.json encloses the lab: the commands have no extension.
  writeFileSync(join(root, 'package.json'), '{ "type": "commonjs" }\n');
  copyFileSync(labAsset('releases/lib/manage.cjs'), join(root, 'lib', 'manage.cjs'));
  copyFileSync(labAsset('releases/lib/schema-versions.json'), join(root, 'lib', 'schema-versions.json'));
  const table = readSchemaTable();
  const venvs = {} as Record<MigrationRelease, string>;
  for (const release of MIGRATION_RELEASES) {
    const bin = join(root, release, 'bin');
    mkdirSync(bin, { recursive: true });
    for (const command of table.commands[release] ?? []) {
      const file = join(bin, command);
      writeFileSync(
        file,
        `#!/usr/bin/env node\n// Lab stand-in for ${release}'s ${command}; see ../../lib/manage.cjs.\n` +
          `require('../../lib/manage.cjs').run(__filename, process.argv.slice(2));\n`,
      );
      chmodSync(file, 0o755);
    }
    venvs[release] = join(root, release);
  }
  return venvs;
}
