import type { Step } from '@leap/markers';
import type { TargetSeries } from '../../release.js';
import type { LeapRuntime } from '../runtime.js';
import { stepLogger, summariseChanges } from '../step-logger.js';
import { vaultAccess } from '../vault-access.js';

/**
 * One release's configuration section (the guide's "Variable & Secrets Migration, Fact Cleanup, Hostname
 * Compatibility, Inventory Upgrades"), done natively with no intermediate checkout.
 */
export function releaseConfigSteps(rt: LeapRuntime, release: TargetSeries): Step[] {
  const { deployDir } = rt.config;
  const options = (ctx: Parameters<Step['run']>[0]) => ({
    deployDir,
    backupDir: rt.paths.configBackups,
    logger: stepLogger(ctx),
    ...vaultAccess(rt),
  });
  return [
    {
      id: `${release}/variables`,
      title: `${release}: variable renames and new secrets`,
      inputs: { deployDir, release },
      async run(ctx) {
        const { migrateVariables } = await import('@leap/inventory');
        const report = await migrateVariables(release, options(ctx));
        ctx.log(`${release} variables`, { kind: 'config-changes', changes: report.changes });
        return summariseChanges(report.changes);
      },
    },
    {
      id: `${release}/facts`,
      title: `${release}: cached Ansible facts removed`,
      inputs: { deployDir, release },
      async run(ctx) {
        const { cleanupFacts } = await import('@leap/inventory');
        const report = await cleanupFacts({ deployDir, step: ctx.stepId });
        return summariseChanges(report.changes);
      },
    },
    {
      id: `${release}/hostnames`,
      title: `${release}: hostnames compatible with the release's inventory`,
      inputs: { deployDir, release },
      async run(ctx) {
        const { checkHostnameCompatibility } = await import('@leap/inventory');
        const { liveHostnames } = await import('../live-hostnames.js');
        // Asked live: the `<release>/facts` step before this one removed the fact cache.
        const report = await checkHostnameCompatibility({
          deployDir,
          ...vaultAccess(rt),
          liveHostnames: liveHostnames(rt, ctx, ctx.stepId),
        });
        ctx.log(`${release} hostnames`, {
          kind: 'hostnames',
          hosts: Object.keys(report.hostsLines).length,
          domain: report.domain,
        });
        return `${Object.keys(report.hostsLines).length} hosts compatible${report.domain ? ` (domain ${report.domain})` : ''}`;
      },
    },
    {
      id: `${release}/inventory`,
      title: `${release}: env.d and openstack_inventory.json upgraded, container names kept`,
      inputs: { deployDir, release },
      async run(ctx) {
        const { upgradeInventory } = await import('@leap/inventory');
        // A fixed seed per leap and release: a step re-run after a crash names new containers the same way.
        const report = await upgradeInventory(release, { ...options(ctx), seed: `${ctx.source}-${release}` });
        ctx.log(`${release} inventory`, { kind: 'config-changes', changes: report.changes });
        return summariseChanges(report.changes);
      },
    },
  ];
}
