import { constants } from 'node:os';
import { execResult, type ExecResult } from '@leap/contract';
import { TRAMPOLINE_BATCH_PREFIX, TRAMPOLINE_PREFIX } from './remote-trampoline.js';

/** What the trampoline answers for one command, its output decoded. */
export interface TrampolineAnswer {
  rc: number;
  /** The number of the signal that ended the command, if one did. */
  signal?: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

function signalName(signal: number | null | undefined): string | undefined {
  if (signal === null || signal === undefined) return undefined;
  return Object.entries(constants.signals).find(([, number]) => number === signal)?.[0] ?? `signal ${signal}`;
}

function decoded(answer: TrampolineAnswer): TrampolineAnswer {
  const decode = (text: string): string => Buffer.from(text, 'base64').toString('utf8');
  return { ...answer, stdout: decode(answer.stdout), stderr: decode(answer.stderr) };
}

function answerLine(moduleStdout: string | undefined, prefix: string): string | undefined {
  const line = (moduleStdout ?? '').split('\n').find((text) => text.startsWith(prefix));
  return line?.slice(prefix.length);
}

/** The command's own outcome, decoded from the trampoline's answer line; undefined when the trampoline did not run. */
export function trampolineAnswer(moduleStdout: string | undefined): TrampolineAnswer | undefined {
  const line = answerLine(moduleStdout, TRAMPOLINE_PREFIX);
  return line === undefined ? undefined : decoded(JSON.parse(line) as TrampolineAnswer);
}

/** A batch's outcomes, one per command that ran; undefined when the trampoline did not run. */
export function trampolineBatchAnswers(moduleStdout: string | undefined): TrampolineAnswer[] | undefined {
  const line = answerLine(moduleStdout, TRAMPOLINE_BATCH_PREFIX);
  return line === undefined ? undefined : (JSON.parse(line) as TrampolineAnswer[]).map(decoded);
}

/** The ExecResult of an answered command; a timeout gets a line naming the command and the host in stderr. */
export function answerResult(
  argv: readonly string[],
  host: string,
  answer: TrampolineAnswer,
  durationMs: number,
  timeoutMs: number | undefined,
): ExecResult {
  // The operator reads the timeout, with the host and the command, where the caller shows stderr.
  const late = answer.timedOut ? `leap: '${argv.join(' ')}' on ${host} did not finish within ${timeoutMs} ms\n` : '';
  return execResult(argv, {
    exitCode: answer.rc,
    signal: signalName(answer.signal),
    timedOut: answer.timedOut,
    durationMs,
    stdout: answer.stdout,
    stderr: `${answer.stderr}${late}`,
  });
}
