import { loadConfig } from '../config.js';
import type { Io } from '../output.js';
import { vaultAccess } from '../plan/vault-access.js';
import { createRuntime, type GlobalOptions } from './shared.js';

/** `leap inventory check`: validation and hostname compatibility of the deployment's inventory and config. */
export async function checkInventory(options: GlobalOptions, io: Io): Promise<number> {
  const config = await loadConfig(options);
  const rt = createRuntime(config, io, { interactive: false });
  const { checkDeployment } = await import('@leap/inventory');
  const report = await checkDeployment({ deployDir: config.deployDir, ...vaultAccess(rt) });
  if (options.json) {
    io.stdout(`${JSON.stringify(report, null, 2)}\n`);
    return 0;
  }
  io.stdout(
    `${config.deployDir}: ${report.files.length} files valid; ${report.hosts} hosts, ${report.containers} containers\n`,
  );
  // The 127.0.1.1 lines need each host's live hostname: the `<release>/hostnames` step asks the hosts for it.
  io.stdout(
    "hostnames compatible (every derived name valid, no collision); the /etc/hosts alias lines are computed from the hosts' live hostnames during the leap\n",
  );
  return 0;
}
