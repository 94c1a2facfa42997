import type { Lab } from '../support/lab.js';

/** What a case may use to break the lab and check the outcome. */
export interface CaseContext {
  lab: Lab;
  /** A folder of the group outside the lab (vault password files, mount points). */
  scratch: string;
}

/** One bad input: how it is made, what leap must answer, and what it may change. */
export interface MatrixCase {
  name: string;
  /** Breaks the lab; the group restores the lab's files before the next case (and calls `undo` for the rest). */
  arrange(ctx: CaseContext): void | Promise<void>;
  undo?(ctx: CaseContext): void | Promise<void>;
  /** The leap arguments; default the lab's non-interactive `leap run`. */
  args?(ctx: CaseContext): string[];
  exitCode: number;
  /** Error codes the output must show, e.g. ['LEAP_PREFLIGHT_FAILED', 'LEAP_YAML_SYNTAX']. */
  codes: string[];
  /** What the message must name: the file, host or step (absolute paths may use <lab>). */
  names: string[];
  /** What the hint must say. */
  hint: RegExp;
  /**
   * A documented safe change: the lab-relative paths (digest keys) the case may add, remove or change, and why.
   * Every case may append to the journal and write Ansible logs.
   */
  changes?: { paths: RegExp[]; why: string };
  /** Values besides the lab's secrets that must never be printed (a vault password). */
  secrets?(ctx: CaseContext): string[];
  /** Extra checks on the outcome. */
  verify?(ctx: CaseContext, output: string): void | Promise<void>;
  /** Why the case cannot run here (it is then reported as skipped). */
  skipReason?(): string | undefined;
}
