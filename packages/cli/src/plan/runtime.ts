import { join } from 'node:path';
import type { Exec } from '@leap/contract';
import type { LeapConfig } from '../config.js';
import type { Confirmations } from '../confirmations.js';
import type { Io } from '../output.js';

/** Everything a plan's steps need from the outside, built once per command. */
export interface LeapRuntime {
  config: LeapConfig;
  io: Io;
  confirmations: Confirmations;
  /** Runs on this machine. */
  localExec: Exec;
  /**
   * Runs on the first host of an inventory group: through Ansible in production and in the lab, on this machine
   * when `runner: local` (tests).
   */
  execOn(group: string): Promise<Exec>;
  /** The leap's own backups: edited files, git work, database dumps. */
  paths: LeapPaths;
}

export interface LeapPaths {
  /** Copies of every configuration file leap edits, before its first change. */
  configBackups: string;
  /** Uncommitted work of the rpc-openstack checkout, bundled before any reset. */
  gitBackups: string;
  /** Verified database dumps. */
  databaseBackups: string;
  /** Ansible logs, one per playbook run. */
  logs: string;
  /** Migration venv tarballs: downloaded once, and relocated for the hosts. */
  venvs: string;
  /** get-pip.py, the target's pins and the wheels, as newton/redeploy/pip-unify pushes them (packed beside it as pip-unify.tar.gz). */
  pipUnify: string;
}

export function leapPaths(config: LeapConfig): LeapPaths {
  return {
    configBackups: join(config.backupDir, 'leap', 'config'),
    gitBackups: join(config.backupDir, 'leap', 'git'),
    databaseBackups: join(config.backupDir, 'leap', 'databases'),
    logs: join(config.markerDir, 'logs'),
    venvs: join(config.backupDir, 'leap', 'venvs'),
    pipUnify: join(config.backupDir, 'leap', 'pip-unify'),
  };
}
