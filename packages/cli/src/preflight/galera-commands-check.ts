import type { LeapConfig } from '../config.js';
import type { Exec } from '@leap/contract';
import type { CheckResult } from './types.js';

/** Runs commands on one galera node: in its container through the runner, or here for `runner: local`. */
export type NodeExec = (node: string) => Promise<Exec>;

/**
 * The commands `leap galera recover` and the re-deploy's Galera steps would run exist where they run: on each
 * galera container the bootstrap, start and recover commands (leap.yaml's, or chosen from the container); for
 * `runner: local`, each node's own start command on this machine.
 */
export async function checkGaleraCommands(config: LeapConfig, execOn: NodeExec): Promise<CheckResult> {
  const base = { id: 'galera-commands', title: 'the commands that start and recover Galera exist on its nodes' };
  const { galeraNodes } = await import('../galera/nodes.js');
  const { galeraServiceCommands } = await import('../galera/service-commands.js');
  if (config.runner === 'local' && (config.galera.nodes ?? []).length === 0) {
    return { ...base, status: 'skipped', message: 'runner: local names no galera.nodes: no Galera node to check' };
  }
  const nodes = await galeraNodes(config);
  const missing: string[] = [];
  const found: string[] = [];
  for (const node of nodes) {
    const exec = await execOn(node.name);
    const commands = node.local
      ? [node.local.start]
      : await galeraServiceCommands(config, node.name, exec).then((c) => [
          c.bootstrap,
          c.start,
          config.galera.recoverCommand,
        ]);
    for (const argv of commands) {
      const program = argv[0]!;
      const result = await exec(program.includes('/') ? ['test', '-x', program] : ['which', program]);
      (result.exitCode === 0 ? found : missing).push(`${program} on ${node.name}`);
    }
  }
  if (missing.length > 0) {
    return {
      ...base,
      status: 'failed',
      message: `missing: ${missing.join(', ')}`,
      hint: 'install MariaDB/Galera in those containers as the deployment does, or set galera.bootstrapCommand, galera.startCommand and galera.recoverCommand in leap.yaml',
      ...(config.configFile ? { file: config.configFile } : {}),
    };
  }
  return {
    ...base,
    status: 'ok',
    message: `${nodes.length} node(s): ${[...new Set(found.map((f) => f.split(' on ')[0]))].join(', ')} found`,
  };
}
