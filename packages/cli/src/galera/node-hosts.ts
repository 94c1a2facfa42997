import { posix } from 'node:path';
import type { LeapConfig } from '../config.js';
import { CliError, ExitCode } from '../errors.js';

/** What leap runs in one galera container (runner ansible), from the container's Ansible variables. */
export interface GaleraNodeHost {
  /** The data folder as a command run there sees it: `leap_root` + galera.datadir. */
  datadir: string;
  /** `leap_service_command` + `leap_galera_service` when the host names a service command (as galera-stop.yml runs it). */
  service?: string[];
  /** The command that prints the position of the stopped server; leap adds --log-error. */
  recover: string[];
}

/** How leap reaches a galera container's server over SQL, and what it runs there. */
export interface ResolvedGaleraHost {
  address?: string;
  port?: number;
  host: GaleraNodeHost;
}

/**
 * The per-container variables leap reads through Ansible, each with its production default:
 * - leap_root (default /): the container's root folder, as leap's own playbooks take it;
 * - leap_service_command (default: none, leap picks `service` or systemd from the container) and
 *   leap_galera_service (default mysql): what galera-stop.yml stops the server with;
 * - leap_galera_address (default: container_address) and leap_galera_port (default: database.port, else 3306):
 *   where leap reaches the node's server from the deploy host;
 * - leap_galera_recover_command (default: galera.recoverCommand).
 */
export const GALERA_HOST_VARS = [
  'leap_root',
  'leap_service_command',
  'leap_galera_service',
  'leap_galera_address',
  'leap_galera_port',
  'leap_galera_recover_command',
] as const;

export function resolveGaleraHost(config: LeapConfig, name: string, vars: Record<string, unknown>): ResolvedGaleraHost {
  const where = `${name}'s Ansible variables`;
  const root = optionalText(vars['leap_root'], 'leap_root', where) ?? '/';
  const serviceCommand = optionalArgv(vars['leap_service_command'], 'leap_service_command', where);
  const serviceName = optionalText(vars['leap_galera_service'], 'leap_galera_service', where) ?? 'mysql';
  const address = optionalText(vars['leap_galera_address'], 'leap_galera_address', where);
  const port = optionalPort(vars['leap_galera_port'], where);
  const recover = optionalArgv(vars['leap_galera_recover_command'], 'leap_galera_recover_command', where);
  return {
    ...(address === undefined ? {} : { address }),
    ...(port === undefined ? {} : { port }),
    host: {
      datadir: posix.join(root, config.galera.datadir),
      ...(serviceCommand === undefined ? {} : { service: [...serviceCommand, serviceName] }),
      recover: recover ?? config.galera.recoverCommand,
    },
  };
}

function invalid(name: string, where: string, what: string): CliError {
  return new CliError('LEAP_GALERA_HOST_VARS_INVALID', `${name} in ${where} is not ${what}`, {
    host: where.replace(/'s Ansible variables$/, ''),
    exitCode: ExitCode.usage,
    hint: `set ${name} to ${what} (in the inventory or under ansible.extraVars in leap.yaml), or remove it to use the default`,
  });
}

function optionalText(value: unknown, name: string, where: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value === '') throw invalid(name, where, 'a non-empty string');
  return value;
}

function optionalArgv(value: unknown, name: string, where: string): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === 'string' && v !== ''))
    throw invalid(name, where, 'a list of words (an argument array)');
  return value as string[];
}

function optionalPort(value: unknown, where: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  const port = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535)
    throw invalid('leap_galera_port', where, 'a TCP port (1-65535)');
  return port;
}
