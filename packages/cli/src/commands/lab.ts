import { resolve } from 'node:path';
import { CliError, ExitCode } from '../errors.js';
import type { Io } from '../output.js';
import { loadLabPackage } from './lab-package.js';

export interface LabCreateOptions {
  source?: string;
  hosts?: string;
  seed?: string;
  fromDeployDir?: string;
  singleDb?: boolean;
  json?: boolean;
}

/** `leap lab create <dir>`: a Kilo deployment on this machine that differs from production only by its leap.yaml. */
export async function createLabCommand(dir: string, options: LabCreateOptions, io: Io): Promise<number> {
  const { createLab, LAB_SOURCES } = await loadLabPackage();
  const source = options.source ?? 'kilo';
  if (!(LAB_SOURCES as readonly string[]).includes(source)) {
    throw new CliError('LEAP_LAB_SOURCE', `a lab can start from ${LAB_SOURCES.join(', ')}, not '${source}'`, {
      exitCode: ExitCode.usage,
      hint: '--source kilo',
    });
  }
  const hosts = options.hosts === undefined ? undefined : Number(options.hosts);
  if (hosts !== undefined && (!Number.isInteger(hosts) || hosts < 1)) {
    throw new CliError('LEAP_LAB_HOSTS', `--hosts must be a whole number of at least 1, not '${options.hosts}'`, {
      exitCode: ExitCode.usage,
      hint: '--hosts 3',
    });
  }
  const info = await createLab(resolve(dir), {
    source: source as 'kilo',
    ...(hosts === undefined ? {} : { hosts }),
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(options.fromDeployDir === undefined ? {} : { fromDeployDir: resolve(options.fromDeployDir) }),
    ...(options.singleDb === true ? { singleDb: true } : {}),
  });
  if (options.json) io.stdout(`${JSON.stringify(info, null, 2)}\n`);
  else {
    const db = info.galera === undefined ? 'one database server' : `${info.galera.nodes.length} Galera nodes`;
    io.stdout(`lab (${info.source}, ${info.hosts.length} hosts, ${db}, seed ${info.seed}) in ${info.dir}\n`);
    io.stdout(`try: leap --config ${info.paths.leapYaml} plan\n     leap --config ${info.paths.leapYaml} run\n`);
    io.stdout(`remove it with: leap lab destroy ${info.dir}\n`);
  }
  return 0;
}

export async function destroyLabCommand(dir: string, io: Io): Promise<number> {
  const { destroyLab } = await loadLabPackage();
  await destroyLab(resolve(dir));
  io.stdout(`lab ${resolve(dir)} destroyed\n`);
  return 0;
}

/** `leap lab fault`: a fault the leap or `leap verify` must notice, put into a lab on purpose. */
export async function labFaultCommand(fault: string, dir: string, io: Io): Promise<number> {
  const { injectLabFault } = await loadLabPackage();
  const result = await injectLabFault(resolve(dir), fault);
  io.stdout(
    result.fault === 'galera-down-after-redeploy'
      ? `${result.fault}: armed (${result.file ?? ''}); the leap's last playbook (verify-maas.yml) will kill every Galera node\n`
      : `${result.fault}: ${result.binary} on ${result.host} is up again\n`,
  );
  return 0;
}
