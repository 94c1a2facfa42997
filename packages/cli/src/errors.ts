import { LeapError, type LeapErrorOptions } from '@leap/contract';

export { isLeapError, type LeapErrorLike } from '@leap/contract';

/** Exit codes documented in the README; every path out of `leap` uses one of them. */
export const ExitCode = {
  ok: 0,
  stepFailed: 1,
  usage: 2,
  locked: 3,
  declined: 4,
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Every code @leap/cli throws; each has a row in the README's error table. */
export type CliErrorCode =
  | 'LEAP_ALREADY_AT_TARGET'
  | 'LEAP_BACKUP_DIR_UNWRITABLE'
  | 'LEAP_BACKUP_UNVERIFIED'
  | 'LEAP_BOOTSTRAP_FAILED'
  | 'LEAP_BOOTSTRAP_MISSING'
  | 'LEAP_CLI_CONFIG_INVALID'
  | 'LEAP_CLI_FILE_UNREADABLE'
  | 'LEAP_CLI_GALERA_NO_NODES'
  | 'LEAP_CONFIG_UNREADABLE'
  | 'LEAP_CONFIG_YAML'
  | 'LEAP_CONFIRMATION_DECLINED'
  | 'LEAP_CONFIRMATION_NEEDED'
  | 'LEAP_F5_FORMAT'
  | 'LEAP_F5_RELEASE'
  | 'LEAP_GALERA_ACTION_FAILED'
  | 'LEAP_GALERA_NOT_SYNCED'
  | 'LEAP_GALERA_NO_ADDRESS'
  | 'LEAP_GALERA_HOST_VARS_INVALID'
  | 'LEAP_GALERA_NO_INVENTORY'
  | 'LEAP_GALERA_NO_SERVICE'
  | 'LEAP_GALERA_START_FAILED'
  | 'LEAP_GALERA_NOT_RECOVERED'
  | 'LEAP_GALERA_UNHEALTHY'
  | 'LEAP_INTERRUPTED'
  | 'LEAP_LAB_HOSTS'
  | 'LEAP_LAB_NOT_INSTALLED'
  | 'LEAP_LAB_SOURCE'
  | 'LEAP_LOCKED'
  | 'LEAP_OPENSTACK_RELEASE_UNKNOWN'
  | 'LEAP_PIP_UNIFY_NOT_CONFIGURED'
  | 'LEAP_PLAN_HEADER_SOURCE'
  | 'LEAP_PREFLIGHT_FAILED'
  | 'LEAP_RELEASE_FILE'
  | 'LEAP_RELEASE_UNKNOWN'
  | 'LEAP_SQLFIX_SETTING_UNUSABLE'
  | 'LEAP_VERIFY_FAILED';

export interface CliErrorOptions extends LeapErrorOptions {
  /** The exit code of `leap`; usage (2) unless said otherwise. */
  exitCode?: ExitCode;
}

export class CliError extends LeapError<CliErrorCode> {
  override readonly name = 'CliError';
  readonly exitCode: ExitCode;

  constructor(code: CliErrorCode, message: string, options: CliErrorOptions = {}) {
    super(code, message, options);
    this.exitCode = options.exitCode ?? ExitCode.usage;
  }
}
