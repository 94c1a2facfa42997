import type { Plan, Step } from '@leap/markers';
import { releasesAfter, type SourceSeries } from '../release.js';
import type { LeapRuntime } from './runtime.js';
import type { ReportLayout } from '../report/collect.js';
import { preflightSteps } from './sections/preflight.js';
import { gitSteps } from './sections/git.js';
import { configSteps } from './sections/config.js';
import { releaseConfigSteps } from './sections/release-config.js';
import { databasePrepSteps, migrationSteps } from './sections/database.js';
import { kiloFlavorDataSteps } from './sections/flavor-data.js';
import {
  afterRedeploySteps,
  powerDownSteps,
  redeployPreparationSteps,
  redeploySteps,
  rpcAdditionSteps,
} from './sections/redeploy.js';
import { postLeapSteps } from './sections/post-leap.js';
import { oldHostnameCleanupSteps } from './sections/cleanup.js';
import { venvSteps } from './sections/venvs.js';

export interface PlanSection {
  name: string;
  stepIds: string[];
}

export interface LeapPlan {
  plan: Plan;
  source: SourceSeries;
  sections: PlanSection[];
  /** The first step after which the leap can only go forward (the first database migration). */
  pointOfNoReturn: string | undefined;
  /** The API downtime: from the step that stops the services to the last step of the re-deploy. */
  downtime: { first: string; last: string } | undefined;
}

/**
 * The leap from `source` to the configured target, in DESIGN.md's order. Building it touches nothing; steps
 * import the libraries they use when they run, so `leap plan` and `leap status` stay fast.
 */
export async function buildLeapPlan(source: SourceSeries, rt: LeapRuntime): Promise<LeapPlan> {
  const releases = releasesAfter(source);
  let steps: Step[] = [];
  let layout: ReportLayout = { sections: [], pointOfNoReturn: null, downtime: null };
  const sections: Array<{ name: string; steps: Step[] }> = [
    { name: 'preflight', steps: preflightSteps(rt) },
    { name: 'git-prep', steps: gitSteps(rt) },
    { name: 'required variables and pre-leap', steps: configSteps(rt) },
    { name: 'database housekeeping and verified backups', steps: databasePrepSteps(rt) },
    ...releases.map((release) => ({ name: `${release} configuration`, steps: releaseConfigSteps(rt, release) })),
    // Everything the migrations need is on the hosts before anything is stopped (`leap venvs` can do it days before).
    { name: 'migration venvs', steps: venvSteps(rt, source) },
    // The operator's review and the re-deploy's configuration, while the cloud still runs (out of the API downtime).
    { name: 're-deploy preparation', steps: await redeployPreparationSteps(rt) },
    { name: 'services stopped', steps: await powerDownSteps(rt) },
    ...(releases[0] === 'liberty' ? [{ name: 'kilo flavor data', steps: kiloFlavorDataSteps(rt) }] : []),
    ...releases.map((release) => ({ name: `${release} database migrations`, steps: migrationSteps(rt, release) })),
    { name: 're-deploy', steps: await redeploySteps(rt) },
    { name: 'after the re-deploy', steps: [...oldHostnameCleanupSteps(rt), ...(await afterRedeploySteps(rt))] },
    { name: 'RPC additions', steps: await rpcAdditionSteps(rt) },
    { name: 'post-leap', steps: postLeapSteps(rt, () => ({ steps, layout })) },
  ];
  steps = sections.flatMap((s) => s.steps);
  const pointOfNoReturn = steps.find((s) => /\/migrate(\/|$)/.test(s.id))?.id;
  const first = steps.find((s) => s.id === 'services/power-down')?.id;
  const last = sections.find((s) => s.name === 're-deploy')?.steps.at(-1)?.id;
  const downtime = first !== undefined && last !== undefined ? { first, last } : undefined;
  const leap: LeapPlan = {
    source,
    sections: sections.map((s) => ({ name: s.name, stepIds: s.steps.map((step) => step.id) })),
    pointOfNoReturn,
    downtime,
    plan: { target: rt.config.target, detectSource: () => source, steps },
  };
  layout = reportLayout(leap);
  return leap;
}

/** What the report draws of a plan: its sections, the point of no return and the API downtime window. */
export function reportLayout(leap: LeapPlan): ReportLayout {
  return { sections: leap.sections, pointOfNoReturn: leap.pointOfNoReturn ?? null, downtime: leap.downtime ?? null };
}
