import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { StepContext } from '@leap/markers';
import type { LiveHostnames } from '@leap/inventory';
import { runPlaybookItem } from './playbook-step.js';
import type { LeapRuntime } from './runtime.js';

/**
 * Asks the hosts themselves for their hostnames (live-hostnames.yml through openstack-ansible), for the hostname
 * compatibility rules. The answers are kept under the logs folder, one file per step.
 */
export function liveHostnames(
  rt: LeapRuntime,
  ctx: Pick<StepContext, 'signal' | 'progress'>,
  id: string,
): LiveHostnames {
  return async (hosts) => {
    const { liveHostnamesItem, readLiveHostnames } = await import('@leap/osa-deploy');
    const dir = join(rt.paths.logs, 'hostnames');
    await mkdir(dir, { recursive: true });
    const file = join(dir, `${id.replace(/[^A-Za-z0-9_.-]+/g, '-')}.json`);
    await runPlaybookItem(rt, ctx, liveHostnamesItem(hosts, file, { id: `${id}/live-hostnames` }));
    return readLiveHostnames(file);
  };
}
