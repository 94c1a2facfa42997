import type { Step } from '@leap/markers';
import type { LeapRuntime } from '../runtime.js';
import { stepLogger, summariseChanges } from '../step-logger.js';
import { vaultAccess } from '../vault-access.js';

/** The variables later releases require, and the removal of RPCO Kilo modifications Newton cannot take. */
export function configSteps(rt: LeapRuntime): Step[] {
  const options = (ctx: Parameters<Step['run']>[0]) => ({
    deployDir: rt.config.deployDir,
    backupDir: rt.paths.configBackups,
    logger: stepLogger(ctx),
    ...vaultAccess(rt),
  });
  return [
    {
      id: 'config/required-variables',
      title: 'lxc_container_backing_store and neutron_legacy_ha_tool_enabled set in user_variables.yml',
      inputs: { deployDir: rt.config.deployDir },
      async run(ctx) {
        const { ensureRequiredVariables } = await import('@leap/inventory');
        const report = await ensureRequiredVariables(options(ctx));
        ctx.log('required variables', { kind: 'config-changes', changes: report.changes });
        return summariseChanges(report.changes);
      },
    },
    {
      id: 'pre-leap/rpco-kilo-cleanup',
      title: 'RPCO Kilo modifications that Newton cannot take removed',
      inputs: { deployDir: rt.config.deployDir },
      async run(ctx) {
        const { cleanupRpcoKilo } = await import('@leap/inventory');
        const report = await cleanupRpcoKilo(options(ctx));
        ctx.log('rpco kilo cleanup', { kind: 'config-changes', changes: report.changes });
        return summariseChanges(report.changes);
      },
    },
  ];
}
