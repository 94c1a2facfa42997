import { join } from 'node:path';
import type { Step, StepContext } from '@leap/markers';
import { playbookDirOf } from '../exec/ansible-exec.js';
import type { LeapRuntime } from './runtime.js';

/** What a plan step needs to know of one playbook run (osa-deploy's PlaybookItem, declared here). */
export interface PlaybookStepItem {
  id: string;
  playbook: string;
  args?: string[];
  limit?: string;
  extraVars?: Record<string, unknown>;
  legacyMarker?: string;
}

/** A plan step that runs one playbook through openstack-ansible, with its current task as progress. */
export function playbookStep(rt: LeapRuntime, item: PlaybookStepItem, title?: string): Step {
  return {
    id: item.id,
    title:
      title ??
      `${item.playbook.split('/').pop()}${item.args?.length ? ` ${item.args.join(' ')}` : ''}${item.limit ? ` --limit ${item.limit}` : ''}`,
    ...(item.legacyMarker ? { legacyMarkers: [item.legacyMarker.replace(/\.complete$/, '')] } : {}),
    inputs: { playbook: item.playbook, args: item.args ?? [], limit: item.limit ?? null },
    async run(ctx) {
      const result = await runPlaybookItem(rt, ctx, item);
      const hosts = Object.keys(result.recap).sort();
      // What ran where, for the report (the containers a destroy play removed) and for whoever audits the leap.
      ctx.log(`${item.playbook.split('/').pop()} ran on ${hosts.length} hosts`, {
        kind: 'playbook',
        playbook: item.playbook,
        hosts,
        ...(item.extraVars ? { extraVars: item.extraVars } : {}),
      });
      return `${hosts.length} hosts ok; log ${result.logFile}`;
    },
  };
}

export async function runPlaybookItem(
  rt: LeapRuntime,
  ctx: Pick<StepContext, 'signal' | 'progress'>,
  item: PlaybookStepItem,
) {
  const { runPlaybook } = await import('@leap/osa-deploy');
  const { config } = rt;
  return runPlaybook(
    {
      command: config.ansible.command,
      playbooksDir: playbookDirOf(config),
      ...(config.ansible.inventory === undefined ? {} : { inventory: [config.ansible.inventory] }),
      extraVars: config.ansible.extraVars,
      env: config.ansible.env,
      logDir: join(rt.paths.logs, 'ansible'),
      signal: ctx.signal,
      onProgress: (event) => {
        if (event.kind === 'task') ctx.progress(`${event.play}: ${event.task}`);
        else if (event.kind === 'retry') ctx.progress(`retrying on ${event.hosts.join(', ')}: ${event.reason}`);
      },
    },
    {
      id: item.id,
      playbook: item.playbook,
      ...(item.args ? { args: item.args } : {}),
      ...(item.limit ? { limit: item.limit } : {}),
      ...(item.extraVars ? { extraVars: item.extraVars } : {}),
    },
  );
}
