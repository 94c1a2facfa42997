import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import type { MigrationRelease } from './release-commands.js';
import type { LabInfo } from './types.js';

/** dir/leap.yaml: the only thing that tells this lab from a production deploy host. */
export function writeLeapYaml(info: LabInfo, migrationVenvs: Record<MigrationRelease, string>): void {
  const config = {
    deployDir: info.paths.deployDir,
    rpcoDir: info.paths.rpcoDir,
    markerDir: `${info.paths.deployDir}/upgrade-leap`,
    backupDir: info.paths.backupDir,
    releaseFile: info.paths.releaseFile,
    target: info.target,
    runner: 'local',
    database: {
      host: info.database.host,
      port: info.database.port,
      socket: info.database.socket,
      user: info.database.user,
      password: info.database.password,
    },
    ansible: {
      command: [info.paths.openstackAnsible],
      inventory: info.paths.inventoryIni,
      extraVars: { leap_lab_root: info.dir, leap_root_prefix: info.paths.hostsRoot },
    },
    migrationVenvs,
    git: { remote: 'origin', expected: { rpco: info.git.rpco.target, osa: info.git.osa.target } },
  };
  const header = [
    `# leap.yaml of a leap lab (source ${info.source}, seed ${JSON.stringify(info.seed)}), written by \`leap lab create\`.`,
    '# Everything else in this folder is shaped like a production deploy host; only these paths differ.',
    '',
  ].join('\n');
  writeFileSync(info.paths.leapYaml, header + stringify(config, { lineWidth: 0 }));
}
