import type { Step } from '@leap/markers';
import type { LeapRuntime } from '../runtime.js';
import { stepLogger } from '../step-logger.js';
import { bootstrapAnsibleStep } from './bootstrap-ansible.js';

/** rpc-openstack and its openstack-ansible submodule clean, on the target tag, SHAs verified (the guide's manual checkout), then the target's Ansible. */
export function gitSteps(rt: LeapRuntime): Step[] {
  return [checkoutStep(rt), bootstrapAnsibleStep(rt)];
}

function checkoutStep(rt: LeapRuntime): Step {
  const { config } = rt;
  return {
    id: 'git/checkout',
    title: `rpc-openstack and openstack-ansible on ${config.target}, SHAs verified`,
    legacyMarkers: ['rpc-prep'],
    inputs: { repo: config.rpcoDir, target: config.target, expected: config.git.expected ?? null },
    async run(ctx) {
      const { prepareCheckout } = await import('@leap/git-prep');
      const report = await prepareCheckout({
        repoDir: config.rpcoDir,
        target: config.target,
        remote: config.git.remote,
        backupDir: rt.paths.gitBackups,
        ...(config.git.expected === undefined
          ? {}
          : {
              expected: {
                commit: config.git.expected.rpco,
                submodules: { 'openstack-ansible': config.git.expected.osa },
              },
            }),
        signal: ctx.signal,
        log: stepLogger(ctx),
        onProgress: (event) => ctx.progress(event.message),
      });
      const top = report.after[0];
      ctx.log('checkout prepared', {
        kind: 'git',
        changed: report.changed,
        backup: report.backup?.dir ?? null,
        after: report.after,
      });
      const saved = report.backup ? `; local work saved in ${report.backup.dir}` : '';
      return `${report.changed ? 'checked out' : 'already on'} ${config.target} at ${top?.head.slice(0, 12) ?? '?'}${saved}`;
    },
  };
}
