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
  io.stdout(`${config.deployDir}: ${report.files.length} files valid; ${report.hosts} hosts, ${report.containers} containers\n`);
  io.stdout(`hostnames compatible${report.hostnames.domain ? ` (domain ${report.hostnames.domain})` : ''}; /etc/hosts lines leap will write:\n`);
  for (const [host, line] of Object.entries(report.hostnames.hostsLines)) io.stdout(`  ${host}: ${line}\n`);
  return 0;
}
