import { LeapError, type LeapErrorOptions } from '@leap/contract';

/** Every code @leap/osa-deploy throws; each has a row in the README's error table. */
export type OsaDeployErrorCode =
  | 'LEAP_ANSIBLE_NOT_STARTED'
  | 'LEAP_EXEC_ANSIBLE_ERROR'
  | 'LEAP_EXEC_BAD_PYTHON'
  | 'LEAP_EXEC_EMPTY_ARGV'
  | 'LEAP_EXEC_BATCH_HOSTS'
  | 'LEAP_EXEC_TOO_LARGE'
  | 'LEAP_HOSTNAMES_UNREADABLE'
  | 'LEAP_HOSTS_UNREACHABLE'
  | 'LEAP_HOST_UNREACHABLE'
  | 'LEAP_HOST_VARS_BAD_NAME'
  | 'LEAP_HOST_VARS_FAILED'
  | 'LEAP_INVENTORY_MISSING'
  | 'LEAP_NEUTRON_KEEP_INVENTORY_JSON'
  | 'LEAP_NO_HOSTS_MATCHED'
  | 'LEAP_OPENRC_INVALID'
  | 'LEAP_OPENRC_UNREADABLE'
  | 'LEAP_OPENSTACK_COMMAND_FAILED'
  | 'LEAP_OPENSTACK_OUTPUT_INVALID'
  | 'LEAP_OSA_OVERRIDES_MISSING'
  | 'LEAP_PLAYBOOK_CANCELLED'
  | 'LEAP_PLAYBOOK_ERROR'
  | 'LEAP_PLAYBOOK_FAILED'
  | 'LEAP_PROCESSES_UNREADABLE'
  | 'LEAP_GET_PIP_MISSING'
  | 'LEAP_GET_PIP_SHA256_MISMATCH'
  | 'LEAP_PIP_PINS_INVALID'
  | 'LEAP_PIP_PINS_MISSING'
  | 'LEAP_PIP_WHEELS_INCOMPLETE'
  | 'LEAP_RPC_DEFAULTS_MISSING'
  | 'LEAP_RPC_VARIABLES_ENCRYPTED'
  | 'LEAP_RPC_VARIABLES_NOT_KEPT'
  | 'LEAP_USER_CONFIG_INVALID'
  | 'LEAP_YAML_INVALID';

export interface OsaDeployErrorOptions extends LeapErrorOptions {
  /** Every host involved (failed and unreachable ones), when there are several. */
  hosts?: readonly string[];
}

/** Everything @leap/osa-deploy throws on purpose: a stable code, what failed, where, and what to do next. */
export class OsaDeployError extends LeapError<OsaDeployErrorCode> {
  override readonly name = 'OsaDeployError';
  readonly hosts: readonly string[];

  constructor(code: OsaDeployErrorCode, message: string, options: OsaDeployErrorOptions = {}) {
    super(code, message, options);
    this.hosts = options.hosts ?? (options.host === undefined ? [] : [options.host]);
  }
}
