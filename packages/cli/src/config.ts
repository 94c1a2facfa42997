import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { CliError, ExitCode } from './errors.js';
import type { ParsedConfig } from './config-schema.js';
import { readPlainYaml } from './plain-yaml.js';
export type LeapConfig = ParsedConfig & { markerDir: string; configFile: string | undefined };

/**
 * What leap.yaml's schema gives for an empty file: the production defaults. Kept as data so a run without a
 * file (every production run) never loads the schema; a test keeps the two equal.
 */
export function productionDefaults(): ParsedConfig {
  return {
    deployDir: '/etc/openstack_deploy',
    rpcoDir: '/opt/rpc-openstack',
    backupDir: '/openstack/backup',
    releaseFile: '/etc/openstack-release',
    target: 'r14.1.0',
    runner: 'ansible',
    database: {},
    ansible: {
      command: ['openstack-ansible'],
      execCommand: ['ansible-playbook'],
      remotePython: ['python3'],
      extraVars: {},
      env: {},
    },
    migrationVenvs: {},
    migrationVenvsBaseUrl: 'https://rpc-repo.rackspace.com/venvs/leap-bundles',
    runAsCommand: ['sudo', '-H', '-u', '{user}', '--'],
    git: { remote: 'origin' },
    housekeeping: { deletedOlderThanDays: 90, batchSize: 1000 },
    redeploy: { swift: true },
    rpcAdditions: {},
    verify: { ignore: [] },
    openstackClients: { openrc: '/root/openrc', openstack: ['openstack'], neutron: ['neutron'] },
    preflight: { skip: [], minFreeBytes: 2 * 2 ** 30 },
    galera: {
      datadir: '/var/lib/mysql',
      recoverCommand: ['mysqld', '--user=mysql', '--wsrep-recover'],
    },
    f5: {},
  };
}

/** The path flags every command accepts; each overrides the matching key of leap.yaml. */
export interface PathFlags {
  config?: string;
  deployDir?: string;
  rpcoDir?: string;
  markerDir?: string;
  backupDir?: string;
  releaseFile?: string;
  target?: string;
}

export async function loadConfig(flags: PathFlags): Promise<LeapConfig> {
  const file = flags.config === undefined ? undefined : resolve(flags.config);
  const config = file === undefined ? productionDefaults() : await readConfigFile(file);
  const overrides = {
    deployDir: flags.deployDir,
    rpcoDir: flags.rpcoDir,
    markerDir: flags.markerDir,
    backupDir: flags.backupDir,
    releaseFile: flags.releaseFile,
    target: flags.target,
  };
  for (const [key, value] of Object.entries(overrides)) {
    if (value !== undefined) Object.assign(config, { [key]: value });
  }
  // Relative paths in leap.yaml are relative to the file, so a lab or a rehearsal folder can move.
  const base = file === undefined ? process.cwd() : dirname(file);
  const abs = (p: string) => resolve(base, p);
  const deployDir = abs(config.deployDir);
  return {
    ...config,
    deployDir,
    rpcoDir: abs(config.rpcoDir),
    markerDir: abs(config.markerDir ?? join(deployDir, 'upgrade-leap')),
    backupDir: abs(config.backupDir),
    releaseFile: abs(config.releaseFile),
    migrationVenvs: Object.fromEntries(
      Object.entries(config.migrationVenvs).map(([release, venv]) => [
        release,
        typeof venv === 'object' && venv.file !== undefined ? { ...venv, file: abs(venv.file) } : venv,
      ]),
    ),
    ...(config.pipUnify === undefined
      ? {}
      : {
          pipUnify: {
            getPip: { ...config.pipUnify.getPip, file: abs(config.pipUnify.getPip.file) },
            ...(config.pipUnify.wheels === undefined ? {} : { wheels: abs(config.pipUnify.wheels) }),
          },
        }),
    configFile: file,
  };
}

/** The full YAML reader, for files outside the plain subset; it also gives the syntax errors. */
async function parseWithYamlLibrary(text: string, file: string): Promise<unknown> {
  // The default export: yaml is CommonJS, and a bundle gives a dynamically imported CommonJS module only that.
  const { default: yaml } = await import('yaml');
  const doc = yaml.parseDocument(text, { prettyErrors: true });
  const [first] = doc.errors;
  if (first !== undefined) {
    // The first line of yaml's message only: the rest quotes the file around the error, and leap.yaml may hold
    // database.password there (stderr goes to terminals, CI logs and nohup.out).
    const what = first.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    const at = first.linePos?.[0];
    throw new CliError('LEAP_CONFIG_YAML', `${file}${at ? `:${at.line}:${at.col}` : ''}: invalid YAML: ${what}`, {
      file,
      hint: 'fix the YAML syntax at the line and column shown',
      exitCode: ExitCode.usage,
    });
  }
  return doc.toJS() as unknown;
}

async function readConfigFile(file: string): Promise<ParsedConfig> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliError('LEAP_CONFIG_UNREADABLE', `cannot read ${file}: ${(error as Error).message}`, {
      file,
      hint: 'check the --config path',
      exitCode: ExitCode.usage,
      cause: error,
    });
  }
  const data = readPlainYaml(text) ?? (await parseWithYamlLibrary(text, file));
  const { validateConfig } = await import('./config-schema.js');
  const result = validateConfig(data ?? {});
  if (!result.ok) {
    throw new CliError('LEAP_CLI_CONFIG_INVALID', `${file} is not a valid leap configuration:\n${result.message}`, {
      file,
      hint: 'fix or remove the keys named above; `leap config schema` prints every key leap accepts',
      exitCode: ExitCode.usage,
    });
  }
  return result.config;
}
