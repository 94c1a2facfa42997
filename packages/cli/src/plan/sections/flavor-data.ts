import type { Step } from '@leap/markers';
import { databaseConnection } from '../database-connection.js';
import { venvBinOf } from '../migration-venvs.js';
import type { LeapRuntime } from '../runtime.js';

/**
 * Kilo's `nova-manage db migrate_flavor_data --force` with Kilo's own nova-manage, after the services stopped and
 * before Liberty's migrations: Liberty's blocker 291 needs it (leap-anchors.md §4.3, §9 W2). Its id is not a
 * `/migrate` step, so it stays before the point of no return: a cloud it cannot fix fails here, backups intact.
 */
export function kiloFlavorDataSteps(rt: LeapRuntime): Step[] {
  return [
    {
      id: 'kilo/flavor-data',
      title: "kilo: instance flavor data migrated with Kilo's nova-manage (Liberty's nova migration 291 needs it)",
      async run(ctx) {
        const { migrateKiloFlavorData } = await import('@leap/db-migrate');
        const connection = await databaseConnection(rt.config);
        if (connection.password) ctx.addSecret(connection.password);
        const report = await migrateKiloFlavorData({
          db: connection,
          kiloBin: venvBinOf(rt.config, 'kilo'),
          runnerFor: (group) => async (argv, options) =>
            (await rt.execOn(group))(argv, { ...options, signal: ctx.signal }),
          signal: ctx.signal,
        });
        ctx.log('kilo flavor data', { kind: 'flavor-data', ...report });
        return report.ran
          ? `${report.before} instances' flavor data migrated`
          : "every instance's flavor data already migrated";
      },
    },
  ];
}
