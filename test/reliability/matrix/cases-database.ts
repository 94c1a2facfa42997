import { join } from 'node:path';
import type { MatrixCase } from './case.js';
import { append, databaseUnreachable, deployFile, replaceIn } from './edit.js';
import { mountTmpfs, tmpfsUnavailable, unmount } from './mounts.js';
import { labSql } from '@leap/test-fixtures';

/**
 * Cases for a lab whose leap stopped at db/health (the checkout, the required variables and the RPCO cleanup
 * done): the database steps come next (db/backup, then db/housekeeping).
 */
const DB_STEPS_RAN = {
  paths: [/upgrade-leap\/db\+(health|housekeeping)\.complete$/, /^db:checksums$/],
  why: 'db/health completed before the failing step; so did db/housekeeping when the step fails after the verified backup (expired rows purged, as the leap does anyway)',
};
const PARTIAL_BACKUP = /^openstack\/backup\/leap\/databases\//;

const restricted = { user: 'leap_reliability', password: 'Restricted-DB-Pass-77' };

export const databaseCases: MatrixCase[] = [
  {
    name: 'database unreachable (nothing listens on the port)',
    arrange: ({ lab }) => databaseUnreachable(lab),
    exitCode: 1,
    codes: ['LEAP_DB_REFUSED', 'failed at step db/health'],
    names: ['host: 127.0.0.1:9'],
    hint: /MariaDB is running/,
  },
  {
    name: 'database password wrong',
    arrange: ({ lab }) => replaceIn(lab.paths.leapYaml, /^ {2}password: ""$/m, '  password: "Wrong-DB-Password-9"'),
    secrets: () => ['Wrong-DB-Password-9'],
    exitCode: 1,
    codes: ['LEAP_DB_CREDENTIALS', 'failed at step db/health'],
    names: ['<lab>/mysql/mysqld.sock', "'root'"],
    hint: /galera_root_password/,
  },
  {
    name: 'database user without the privileges a dump needs',
    arrange: async ({ lab }) => {
      for (const host of ['localhost', '127.0.0.1']) {
        await labSql(
          lab,
          `CREATE USER IF NOT EXISTS '${restricted.user}'@'${host}' IDENTIFIED BY '${restricted.password}'`,
        );
        await labSql(lab, `GRANT SELECT, DELETE, PROCESS ON *.* TO '${restricted.user}'@'${host}'`);
      }
      replaceIn(lab.paths.leapYaml, /^ {2}user: root$/m, `  user: ${restricted.user}`);
      replaceIn(lab.paths.leapYaml, /^ {2}password: ""$/m, `  password: "${restricted.password}"`);
    },
    undo: async ({ lab }) => {
      for (const host of ['localhost', '127.0.0.1'])
        await labSql(lab, `DROP USER IF EXISTS '${restricted.user}'@'${host}'`);
    },
    secrets: () => [restricted.password],
    exitCode: 1,
    codes: ['LEAP_BACKUP_DUMP_FAILED', 'failed at step db/backup'],
    names: ['<lab>/openstack/backup/leap/databases/', 'Access denied'],
    hint: /privileges/,
    changes: { ...DB_STEPS_RAN, paths: [...DB_STEPS_RAN.paths, PARTIAL_BACKUP] },
  },
  {
    name: 'backup folder not writable (a read-only file system)',
    skipReason: tmpfsUnavailable,
    arrange: async ({ lab, scratch }) => {
      await mountTmpfs(join(scratch, 'read-only'), 'ro,size=1m');
      replaceIn(lab.paths.leapYaml, /^backupDir: .*$/m, `backupDir: ${join(scratch, 'read-only')}`);
    },
    undo: ({ scratch }) => unmount(join(scratch, 'read-only')),
    exitCode: 1,
    codes: ['LEAP_BACKUP_DIR_UNWRITABLE', 'failed at step db/backup'],
    names: ['/scratch/read-only/leap/databases'],
    hint: /make the backup folder writable/,
    changes: DB_STEPS_RAN,
  },
  {
    // Room for the dumps, not for the throwaway server that verifies them as they are written (its own files alone take
    // about 150 MiB): refused before anything is written. A disk that fills up mid-dump is @leap/db-migrate's
    // backup.test.ts "stops cleanly when the disk fills up".
    name: 'backup folder without room for the dumps and their verification server (a 4 MiB tmpfs)',
    skipReason: tmpfsUnavailable,
    arrange: async ({ lab, scratch }) => {
      await mountTmpfs(join(scratch, 'full'), 'size=4m,nr_inodes=6');
      replaceIn(lab.paths.leapYaml, /^backupDir: .*$/m, `backupDir: ${join(scratch, 'full')}`);
    },
    undo: ({ scratch }) => unmount(join(scratch, 'full')),
    exitCode: 1,
    codes: ['LEAP_BACKUP_NO_SPACE', 'failed at step db/backup'],
    names: ['/scratch/full/leap/databases has', 'throwaway verification server needs about'],
    hint: /nothing was written/,
    changes: DB_STEPS_RAN,
  },
  {
    name: 'conflicting variable renames (nova_v21_service_port and nova_service_port both set)',
    arrange: ({ lab }) => append(deployFile(lab, 'user_variables.yml'), 'nova_service_port: 9774\n'),
    exitCode: 1,
    codes: ['LEAP_RENAME_CONFLICT', 'failed at step liberty/variables'],
    names: ['<lab>/etc/openstack_deploy/user_variables.yml', 'nova_v21_service_port', 'nova_service_port'],
    hint: /keep one of the two keys/,
    changes: {
      paths: [...DB_STEPS_RAN.paths, /upgrade-leap\/db\+backup\.complete$/, PARTIAL_BACKUP],
      why: 'the database steps before liberty/variables completed: housekeeping, a verified backup',
    },
  },
];
