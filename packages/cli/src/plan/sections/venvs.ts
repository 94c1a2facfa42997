import type { Step } from '@leap/markers';
import { releasesAfter, type SourceSeries } from '../../release.js';
import { migrationVenv } from '../migration-venvs.js';
import { prepareMigrationVenvs, type PreparedVenv } from '../prepare-venvs.js';
import type { LeapRuntime } from '../runtime.js';

/**
 * Each release's migration venv on the hosts that run its commands, before anything is stopped (upstream prep.sh
 * get_venv and venv-prep.yml, leap-anchors §1.4). `leap venvs` does the same days before the window.
 */
export function venvSteps(rt: LeapRuntime, source: SourceSeries): Step[] {
  const releases = releasesAfter(source);
  return [
    {
      id: 'venvs/prepare',
      title: `migration venvs of ${releases.join(', ')} on the hosts that run their commands, each command answering --help`,
      inputs: Object.fromEntries(releases.map((release) => [release, migrationVenv(rt.config, release)])),
      async run(ctx) {
        const prepared = await prepareMigrationVenvs(rt, releases, ctx);
        ctx.log('migration venvs', { kind: 'venvs', prepared });
        return describePrepared(prepared);
      },
    },
  ];
}

export function describePrepared(prepared: readonly PreparedVenv[]): string {
  return prepared
    .map((p) => `${p.release} ${p.how === 'folder' ? 'folder' : p.how} (${p.commands} commands answer --help)`)
    .join('; ');
}
