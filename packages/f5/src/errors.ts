import { LeapError, type LeapErrorOptions } from '@leap/contract';

/** Every code @leap/f5 throws; each has a row in the README's error table. */
export type F5ErrorCode =
  | 'LEAP_F5_CIDR_INVALID'
  | 'LEAP_F5_FORMAT_UNKNOWN'
  | 'LEAP_F5_HOST_ADDRESS_CONFLICT'
  | 'LEAP_F5_HOST_ADDRESS_MISSING'
  | 'LEAP_F5_INTERNAL_VIP_MISSING'
  | 'LEAP_F5_INVENTORY_INVALID'
  | 'LEAP_F5_NAME_INVALID'
  | 'LEAP_F5_PARSE'
  | 'LEAP_F5_PARSE_EMPTY'
  | 'LEAP_F5_PUBLIC_VIP_MISSING'
  | 'LEAP_F5_RELEASE_UNKNOWN'
  | 'LEAP_F5_SNAT_CONFLICT'
  | 'LEAP_F5_SNAT_INVALID'
  | 'LEAP_F5_SNAT_MISSING'
  | 'LEAP_F5_SNAT_OUTSIDE_CIDR'
  | 'LEAP_F5_SSL_DOMAIN_INVALID'
  | 'LEAP_F5_SSL_DOMAIN_REQUIRED'
  | 'LEAP_F5_VIP_INVALID';

export type F5ErrorOptions = LeapErrorOptions;

/** Everything @leap/f5 throws on purpose: a stable code, what failed, where, and what to do next. */
export class F5Error extends LeapError<F5ErrorCode> {
  override readonly name = 'F5Error';
}
