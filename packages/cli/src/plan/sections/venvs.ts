import type { Step } from '@leap/markers';
import { releasesAfter, type SourceSeries } from '../../release.js';
import { migrationVenv } from '../migration-venvs.js';
import { prepareMigrationVenvs, type PreparedVenvs } from '../prepare-venvs.js';
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
        ctx.log('migration venvs', { kind: 'venvs', ...prepared });
        return describePrepared(prepared);
      },
    },
  ];
}

export function describePrepared(prepared: PreparedVenvs): string {
  const each = prepared.venvs.map((v) => `${v.release} from its ${v.from} (${v.commands} commands answer --help)`);
  const tarballs = prepared.venvs.some((v) => v.from === 'tarball');
  return `${each.join('; ')}${tarballs ? (prepared.pushed ? '; pushed' : '; already on every host') : ''}`;
}
