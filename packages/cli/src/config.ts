import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { CliError, ExitCode } from './errors.js';

const releaseName = z.enum(['liberty', 'mitaka', 'newton']);

/** leap.yaml: everything that differs between deployments. Production needs no file at all. */
export const leapConfigSchema = z.strictObject({
  deployDir: z.string().default('/etc/openstack_deploy'),
  rpcoDir: z.string().default('/opt/rpc-openstack'),
  markerDir: z.string().optional().describe('default: <deployDir>/upgrade-leap'),
  backupDir: z.string().default('/openstack/backup'),
  releaseFile: z.string().default('/etc/openstack-release'),
  target: z.string().default('r14.1.0'),
  runner: z.enum(['ansible', 'local']).default('ansible')
    .describe('where database and service commands run: through Ansible on the inventory hosts, or on this machine'),
  database: z.strictObject({
    host: z.string().optional(),
    port: z.number().int().positive().optional(),
    socket: z.string().optional(),
    user: z.string().optional(),
    password: z.string().optional(),
  }).default({}).describe('discovered from the deployment (galera_root_password, internal_lb_vip_address) when absent'),
  ansible: z.strictObject({
    command: z.array(z.string()).min(1).default(['openstack-ansible']),
    adhocCommand: z.array(z.string()).min(1).default(['ansible']),
    inventory: z.string().optional(),
    playbookDir: z.string().optional().describe('default: <rpcoDir>/openstack-ansible/playbooks'),
    extraVars: z.record(z.string(), z.unknown()).default({}),
    env: z.record(z.string(), z.string()).default({}),
  }).default({ command: ['openstack-ansible'], adhocCommand: ['ansible'], extraVars: {}, env: {} }),
  migrationVenvs: z.partialRecord(releaseName, z.string()).default({})
    .describe('per release, the folder whose bin/ holds that release\'s *-manage commands'),
  git: z.strictObject({
    remote: z.string().default('origin'),
    expected: z.strictObject({ rpco: z.string(), osa: z.string() }).optional(),
  }).default({ remote: 'origin' }),
  housekeeping: z.strictObject({
    deletedOlderThanDays: z.number().int().nonnegative().default(90),
    batchSize: z.number().int().positive().default(1000),
  }).default({ deletedOlderThanDays: 90, batchSize: 1000 }),
  vaultPasswordFile: z.string().optional().describe('default: $ANSIBLE_VAULT_PASSWORD_FILE'),
  preflight: z.strictObject({
    skip: z.array(z.string()).default([]).describe('ids of preflight checks not to run, e.g. deploy-host-packages'),
    minFreeBytes: z.number().int().nonnegative().default(2 * 2 ** 30),
  }).default({ skip: [], minFreeBytes: 2 * 2 ** 30 }),
  f5: z.strictObject({
    partition: z.string().optional(),
    sslDomain: z.string().optional(),
    publicVip: z.string().optional(),
    snat: z.array(z.string()).optional(),
  }).default({}),
});

export type LeapConfigInput = z.input<typeof leapConfigSchema>;
export type LeapConfig = z.output<typeof leapConfigSchema> & { markerDir: string; configFile: string | undefined };

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

export function loadConfig(flags: PathFlags): LeapConfig {
  const file = flags.config === undefined ? undefined : resolve(flags.config);
  const raw = file === undefined ? {} : readConfigFile(file);
  const parsed = leapConfigSchema.safeParse(raw);
  if (!parsed.success) {
    throw new CliError('LEAP_CONFIG_INVALID', `${file ?? 'leap.yaml'} is not a valid leap configuration:\n${z.prettifyError(parsed.error)}`, {
      file,
      hint: 'fix or remove the keys named above; `leap config schema` prints every key leap accepts',
      exitCode: ExitCode.usage,
    });
  }
  const config = { ...parsed.data };
  const overrides = {
    deployDir: flags.deployDir, rpcoDir: flags.rpcoDir, markerDir: flags.markerDir,
    backupDir: flags.backupDir, releaseFile: flags.releaseFile, target: flags.target,
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
    configFile: file,
  };
}

function readConfigFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliError('LEAP_CONFIG_UNREADABLE', `cannot read ${file}: ${(error as Error).message}`, {
      file, hint: 'check the --config path', exitCode: ExitCode.usage, cause: error,
    });
  }
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new CliError('LEAP_CONFIG_YAML', `${file} is not valid YAML: ${doc.errors[0]?.message ?? ''}`, {
      file, hint: 'fix the YAML syntax at the line and column shown', exitCode: ExitCode.usage,
    });
  }
  return doc.toJS() ?? {};
}

/** The JSON Schema of leap.yaml, published with the package. */
export function leapConfigJsonSchema(): unknown {
  return z.toJSONSchema(leapConfigSchema, { io: 'input' });
}
