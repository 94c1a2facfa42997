/** Everything @leap/osa-deploy throws on purpose: a stable code, what failed, where, and what to do next. */
export interface OsaDeployErrorOptions {
  /** What the operator should do next. */
  hint?: string;
  /** The file involved, if any. */
  file?: string;
  /** The inventory host or container involved, if any. */
  host?: string;
  /** Every host involved (failed and unreachable ones), when there are several. */
  hosts?: readonly string[];
  /** The plan step involved, if any. */
  step?: string;
  cause?: unknown;
}

export class OsaDeployError extends Error {
  override readonly name = 'OsaDeployError';
  readonly code: `LEAP_${string}`;
  readonly hint: string | undefined;
  readonly file: string | undefined;
  readonly host: string | undefined;
  readonly hosts: readonly string[];
  readonly step: string | undefined;

  constructor(code: `LEAP_${string}`, message: string, options: OsaDeployErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.hint = options.hint;
    this.file = options.file;
    this.host = options.host;
    this.hosts = options.hosts ?? (options.host === undefined ? [] : [options.host]);
    this.step = options.step;
  }
}
