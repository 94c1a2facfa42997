import { parseRecapLine, type HostRecap, type Recap } from './recap.js';

export type HostStatus = 'ok' | 'changed' | 'skipping' | 'failed' | 'unreachable';

/** What a running playbook reports, parsed from Ansible's default output. */
export type ProgressEvent =
  | { kind: 'play'; id: string; play: string }
  | { kind: 'task'; id: string; play: string; task: string }
  | { kind: 'host'; id: string; play: string; task: string; host: string; status: HostStatus; message?: string }
  | { kind: 'recap'; id: string; recap: Recap }
  | { kind: 'retry'; id: string; attempt: number; hosts: string[]; reason: string };

export type ProgressCallback = (event: ProgressEvent) => void;

/** A host that failed or was unreachable, with the task and Ansible's message (and the whole line for matching). */
export interface HostFailure {
  host: string;
  task: string;
  unreachable: boolean;
  message: string;
  line: string;
}

const HEADER = /^(PLAY|TASK|RUNNING HANDLER) \[(.*)\] \**\s*$/;
// `changed: [host]`, `ok: [container -> physical_host]`, `fatal: [host]: FAILED! => {...}`, `failed: [h] (item=x) => {...}`
const HOST_LINE =
  /^(ok|changed|skipping|fatal|failed): \[([^\]]+?)(?: -> [^\]]+)?\](?::? (UNREACHABLE!|FAILED!))?(.*)$/;
const MAX_MESSAGE = 400;

function messageOf(rest: string): string {
  // A loop's line starts with `(item={…})`, a Python repr: the JSON result is what follows ` => `.
  const item = /^\s*\(item=.*?\) => \{/.exec(rest);
  const json = item ? rest.slice(item[0].length - 1) : rest.slice(rest.indexOf('{'));
  try {
    const parsed = JSON.parse(json) as { msg?: unknown; stderr?: unknown };
    const text = [parsed.msg, parsed.stderr].filter((part) => typeof part === 'string' && part !== '').join(': ');
    if (text !== '') return text.slice(0, MAX_MESSAGE);
  } catch {
    // Not one JSON object (a multi-line or custom callback): keep the raw text.
  }
  return rest
    .replace(/^\s*=>\s*/, '')
    .trim()
    .slice(0, MAX_MESSAGE);
}

/**
 * A line-by-line reader of `ansible-playbook` output (default callback). One per run: it holds the current
 * play and task, the failures seen, and the recap.
 */
export class ProgressParser {
  play = '';
  task = '';
  readonly recap: Recap = {};
  readonly failures: HostFailure[] = [];
  private inRecap = false;
  private pending = '';
  /** A failure whose JSON result spans several lines (assert, debug): its lines until the closing brace. */
  private multiline: { failure: HostFailure | undefined; lines: string[] } | undefined;

  constructor(
    private readonly id: string,
    private readonly onEvent: ProgressCallback | undefined,
  ) {}

  /** Feeds a chunk of output; complete lines are parsed, a partial last line waits for the next chunk. */
  push(chunk: string): void {
    const lines = (this.pending + chunk).split('\n');
    this.pending = lines.pop() ?? '';
    for (const line of lines) this.line(line);
  }

  /** Parses what is left once the output has ended. */
  end(): void {
    if (this.pending !== '') this.line(this.pending);
    this.pending = '';
    if (Object.keys(this.recap).length > 0) this.onEvent?.({ kind: 'recap', id: this.id, recap: { ...this.recap } });
  }

  line(raw: string): void {
    const line = raw.replace(/\r$/, '');
    if (this.multiline) {
      this.multiline.lines.push(line);
      if (line !== '}') return;
      const { failure, lines } = this.multiline;
      this.multiline = undefined;
      if (failure) {
        const json = lines.join('\n');
        failure.line = `${failure.line}\n${json.slice(1)}`;
        failure.message = messageOf(json);
        this.onEvent?.({
          kind: 'host',
          id: this.id,
          play: this.play,
          task: failure.task,
          host: failure.host,
          status: failure.unreachable ? 'unreachable' : 'failed',
          message: failure.message,
        });
      }
      return;
    }
    const header = HEADER.exec(line);
    if (header) {
      this.inRecap = false;
      if (header[1] === 'PLAY') {
        this.play = header[2] ?? '';
        this.task = '';
        this.onEvent?.({ kind: 'play', id: this.id, play: this.play });
      } else {
        this.task = header[2] ?? '';
        this.onEvent?.({ kind: 'task', id: this.id, play: this.play, task: this.task });
      }
      return;
    }
    if (line.startsWith('PLAY RECAP')) {
      this.inRecap = true;
      return;
    }
    if (this.inRecap) {
      const parsed = parseRecapLine(line);
      if (parsed) this.recap[parsed.host] = parsed.counts as HostRecap;
      return;
    }
    if (line === '...ignoring') {
      // The failure just printed was ignored (ignore_errors): it neither fails the host nor counts for retries.
      this.failures.pop();
      return;
    }
    const hostLine = HOST_LINE.exec(line);
    if (!hostLine) return;
    const [, word, host = '', kind, rest = ''] = hostLine;
    const unreachable = kind === 'UNREACHABLE!';
    const failed = word === 'fatal' || word === 'failed';
    const status: HostStatus = unreachable ? 'unreachable' : failed ? 'failed' : (word as HostStatus);
    if (rest.endsWith('=> {')) {
      // The result follows on the next lines; report the host once its message is known.
      const failure = failed ? { host, task: this.task, unreachable, message: '', line } : undefined;
      if (failure) this.failures.push(failure);
      else this.onEvent?.({ kind: 'host', id: this.id, play: this.play, task: this.task, host, status });
      this.multiline = { failure, lines: [line.slice(line.lastIndexOf('{'))] };
      return;
    }
    if (failed) {
      const message = messageOf(rest);
      this.failures.push({ host, task: this.task, unreachable, message, line });
      this.onEvent?.({ kind: 'host', id: this.id, play: this.play, task: this.task, host, status, message });
      return;
    }
    this.onEvent?.({ kind: 'host', id: this.id, play: this.play, task: this.task, host, status });
  }
}
