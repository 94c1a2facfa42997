import { LeapError, type LeapErrorOptions } from '@leap/contract';

/** Every code @leap/inventory throws; each has a row in the README's error table. */
export type InventoryErrorCode =
  | 'LEAP_BACKUP_FAILED'
  | 'LEAP_CONFIG_INVALID'
  | 'LEAP_CONFIG_MGMT_NETWORK'
  | 'LEAP_CONTAINER_NAME_TOO_LONG'
  | 'LEAP_ENVD_INVALID'
  | 'LEAP_FACTS_CLEANUP'
  | 'LEAP_FILE_UNREADABLE'
  | 'LEAP_HOSTNAME_COLLISION'
  | 'LEAP_HOSTNAME_INVALID'
  | 'LEAP_HOSTNAME_TOO_LONG'
  | 'LEAP_HOSTNAME_UNKNOWN'
  | 'LEAP_INVENTORY_INVALID'
  | 'LEAP_INVENTORY_JSON'
  | 'LEAP_IP_EXHAUSTED'
  | 'LEAP_LBAAS_V1'
  | 'LEAP_OSA_SECRETS_BOTH'
  | 'LEAP_OSA_SECRETS_COPY'
  | 'LEAP_RENAME_CONFLICT'
  | 'LEAP_RPC_SECRETS_NOT_KEPT'
  | 'LEAP_RPC_SECRETS_TEMPLATE_MISSING'
  | 'LEAP_SECRET_RENAME_CONFLICT'
  | 'LEAP_UNKNOWN_RELEASE'
  | 'LEAP_VAULT_FAILED'
  | 'LEAP_VAULT_PASSWORD_REQUIRED'
  | 'LEAP_WRITE_FAILED'
  | 'LEAP_YAML_EDIT_FAILED'
  | 'LEAP_YAML_SYNTAX';

export type InventoryErrorOptions = LeapErrorOptions;

/** Everything @leap/inventory throws on purpose: a stable code, what failed, where, and what to do next. */
export class InventoryError extends LeapError<InventoryErrorCode> {
  override readonly name = 'InventoryError';
}
