import type { Rng } from './rng.js';
import { kindOf, type StepKind } from './step-kinds.js';

/** One planned interruption of the crash-and-resume run. */
export interface Interruption {
  step: string;
  index: number;
  kind: StepKind;
  /** `during`: `delayMs` after the step's start line; `completed`: at its done line, its marker just written. */
  at: 'during' | 'completed';
  delayMs: number;
  signal: 'SIGKILL' | 'SIGINT';
  /** Fire `delayMs` after the `count`-th line matching `line` instead of after the step's start line. */
  trigger?: { line: RegExp; count: number; what: string };
}

/** The longest delay after a step's start, per kind: about the step's length on the lab, so the kill lands inside it. */
const MAX_DELAY_MS: Record<StepKind, number> = {
  preflight: 20,
  git: 800,
  config: 60,
  inventory: 80,
  health: 150,
  housekeeping: 40,
  backup: 900,
  migration: 1200,
  confirm: 5,
  playbook: 2500,
  api: 600,
  report: 50,
};

/** Every kind of work must be hit at least once by a kill; `marker` is a kill right after a marker write. */
const REQUIRED: ReadonlyArray<StepKind | 'marker'> = [
  'git',
  'config',
  'inventory',
  'housekeeping',
  'backup',
  'migration',
  'playbook',
  'api',
  'marker',
];

/**
 * Seeded interruptions over the whole leap, in plan order: first one kill per required kind, the rest spread
 * over every step; `interrupts` Ctrl-Cs land inside playbooks (so an ansible child is alive to be stopped).
 */
export function planInterruptions(
  stepIds: readonly string[],
  rng: Rng,
  kills: number,
  interrupts: number,
  databases: number,
): Interruption[] {
  const planned: Interruption[] = [];
  const stepsOf = (kind: StepKind) => stepIds.filter((id) => kindOf(id) === kind);
  const completedAlready = (step: string) => planned.some((p) => p.step === step && p.at === 'completed');
  const add = (step: string, at: Interruption['at'], signal: Interruption['signal'], delayMs?: number) => {
    const kind = kindOf(step);
    planned.push({
      step,
      index: stepIds.indexOf(step),
      kind,
      at,
      signal,
      delayMs: at === 'completed' ? 0 : (delayMs ?? rng.int(0, MAX_DELAY_MS[kind])),
    });
  };
  for (const kind of REQUIRED.slice(0, kills)) {
    if (kind === 'marker') add(rng.pick(stepIds), 'completed', 'SIGKILL');
    else add(rng.pick(stepsOf(kind)), 'during', 'SIGKILL');
  }
  if (planned.length < kills && stepIds.includes('db/backup')) {
    // Inside the verification, after the last dump: a killed restore into a scratch schema must not leave it behind.
    add('db/backup', 'during', 'SIGKILL', rng.int(20, 300));
    planned.at(-1)!.trigger = {
      line: /^\s+db\/backup \S+ dumped$/,
      count: databases,
      what: `the ${databases}th dump (the verification)`,
    };
  }
  // Inside a step moved out of the API downtime (issue 25): the RPC secrets merge, now done before the services stop.
  if (planned.length < kills && stepIds.includes('redeploy/rpc-secrets'))
    add('redeploy/rpc-secrets', 'during', 'SIGKILL');
  while (planned.length < kills) {
    const step = rng.pick(stepIds);
    const at = rng.next() < 0.2 ? 'completed' : 'during';
    if (at === 'completed' && completedAlready(step)) continue;
    add(step, at, 'SIGKILL');
  }
  const playbooks = stepsOf('playbook');
  for (let i = 0; i < interrupts; i++) add(rng.pick(playbooks), 'during', 'SIGINT', rng.int(300, 1500));
  // Plan order; on one step, kills inside it come before the one at its end (after which it never runs again).
  return planned.sort((a, b) => a.index - b.index || (a.at === b.at ? 0 : a.at === 'during' ? -1 : 1));
}

export function describeInterruption(i: Interruption): string {
  const when =
    i.at === 'completed'
      ? 'at the end of'
      : i.trigger
        ? `${i.delayMs} ms after ${i.trigger.what} of`
        : `${i.delayMs} ms into`;
  return `${i.signal} ${when} ${i.step} (${i.kind})`;
}
