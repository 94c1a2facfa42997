import { MarkerStore, readPlanState, type Step } from '@leap/markers';
import type { LeapRuntime } from '../runtime.js';
import type { ReportLayout } from '../../report/collect.js';

/** post_leap: temporary overrides removed, the cluster healthy after the re-deploy, and the report. */
export function postLeapSteps(rt: LeapRuntime, whole: () => { steps: readonly Step[]; layout: ReportLayout }): Step[] {
  return [
    {
      id: 'post/leapfrog-overrides-removed',
      title: 'temporary re-deploy overrides removed',
      async run() {
        const { removeLeapfrogOverrides } = await import('@leap/osa-deploy');
        await removeLeapfrogOverrides(rt.config.deployDir);
        return 'removed';
      },
    },
    {
      id: 'post/galera-health',
      title: 'Galera cluster healthy after the re-deploy: every node Synced and Primary in one cluster',
      async run(ctx) {
        const { checkEveryGaleraNode } = await import('../galera-health.js');
        return checkEveryGaleraNode(rt, ctx, 'post/galera-health');
      },
    },
    {
      id: 'post/verify',
      title: 'the cloud healthy after the leap: Galera, services, agents, ports, routers (leap verify)',
      async run(ctx) {
        const { verifyLeap, formatVerify } = await import('../../verify/post-leap-health.js');
        const report = await verifyLeap(rt, ctx);
        ctx.log(report.ok ? 'healthy' : 'not healthy', { kind: 'verify', ...report });
        for (const problem of report.ignored)
          ctx.log(`warning: ignored by verify.ignore: ${problem}`, { kind: 'verify-ignored', level: 'warn' });
        if (!report.ok) {
          const { CliError, ExitCode } = await import('../../errors.js');
          throw new CliError(
            'LEAP_VERIFY_FAILED',
            `the cloud is not healthy after the leap:\n${formatVerify(report)}`,
            {
              exitCode: ExitCode.stepFailed,
              hint: 'fix each problem named, then run `leap run` again: it resumes at this check (`leap verify` runs it alone); a problem known and accepted (a compute host that is down for good) goes in verify.ignore in leap.yaml',
            },
          );
        }
        return `${report.findings.length} checks passed`;
      },
    },
    {
      id: 'post/report',
      title: 'the leap report written (Markdown, JSON and a self-contained HTML page)',
      async run() {
        const { writeReport } = await import('../../report/write.js');
        const { steps, layout } = whole();
        const state = await readPlanState(steps, { store: new MarkerStore(rt.config.markerDir) });
        const files = await writeReport(rt.config.markerDir, state, layout);
        return `report in ${files.markdown}`;
      },
    },
  ];
}
