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
  // The nodes are asked at once: each answer is a remote command (an Ansible run) of its own.
  const answers = await Promise.all(
    nodes.map(async (node) => {
      const exec = await execOn(node.name);
      const commands = node.local
        ? [node.local.start]
        : await galeraServiceCommands(config, node.name, exec, node.host?.service).then((c) => [
            c.bootstrap,
            c.start,
            node.host?.recover ?? config.galera.recoverCommand,
          ]);
      const programs = [...new Set(commands.map((argv) => argv[0]!))];
      // One `which` for all of a node's programs: it prints the path of each one it finds, names and absolute
      // paths alike, and exits non-zero when any is missing.
      const result = await exec(['which', ...programs]);
      const paths = new Set(result.stdout.split('\n').map((line) => line.trim()));
      return programs.map((program) => ({
        what: `${program} on ${node.name}`,
        ok: program.includes('/') ? paths.has(program) : [...paths].some((p) => p.endsWith(`/${program}`)),
      }));
    }),
  );
  const missing = answers
    .flat()
    .filter((a) => !a.ok)
    .map((a) => a.what);
  const found = answers
    .flat()
    .filter((a) => a.ok)
    .map((a) => a.what);
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
