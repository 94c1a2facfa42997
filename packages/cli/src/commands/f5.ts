import { loadConfig } from '../config.js';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { CliError, ExitCode, isLeapError } from '../errors.js';
import type { Io } from '../output.js';
import type { GlobalOptions } from './shared.js';

export interface F5Options extends GlobalOptions {
  current?: string;
  from?: string;
  to?: string;
  sslDomain?: string;
  publicVip?: string;
  snat?: string;
  partition?: string;
  configSyncGroup?: string;
  format?: string;
}

const formats = ['tmsh', 'json', 'table'] as const;
const releases = ['kilo', 'newton'] as const;

/** `leap f5`: the F5 runbook (or diff against the device's current config) from the deployment's inventory. */
export async function runF5(options: F5Options, io: Io): Promise<number> {
  const config = await loadConfig(options);
  const format = options.format ?? (options.json ? 'json' : 'tmsh');
  if (!formats.includes(format as (typeof formats)[number])) {
    throw new CliError('LEAP_F5_FORMAT', `unknown format '${format}'`, {
      exitCode: ExitCode.usage,
      hint: `use --format ${formats.join('|')}`,
    });
  }
  for (const release of [options.from, options.to]) {
    if (release !== undefined && !releases.includes(release as (typeof releases)[number])) {
      throw new CliError('LEAP_F5_RELEASE', `leap knows the F5 layout of ${releases.join(' and ')}, not '${release}'`, {
        exitCode: ExitCode.usage,
        hint: 'use --from kilo --to newton',
      });
    }
  }
  const inventoryFile = join(config.deployDir, 'openstack_inventory.json');
  const inventory = JSON.parse(await readText(inventoryFile, '--deploy-dir')) as unknown;
  const currentFile = options.current === undefined ? undefined : resolve(options.current);
  const current =
    currentFile === undefined ? undefined : { text: await readText(currentFile, '--current'), file: currentFile };
  const snat = options.snat ?? config.f5.snat?.join(',');
  const f5 = await import('@leap/f5');
  const plan = withFile(inventoryFile, () =>
    f5.planF5Upgrade(inventory, {
      ...(options.from ? { from: options.from as 'kilo' } : {}),
      ...(options.to ? { to: options.to as 'newton' } : {}),
      ...(current ? { current } : {}),
      ...pick('sslDomain', options.sslDomain ?? config.f5.sslDomain),
      ...pick('publicVip', options.publicVip ?? config.f5.publicVip),
      ...pick('partition', options.partition ?? config.f5.partition),
      ...pick('configSyncGroup', options.configSyncGroup),
      ...(snat === undefined
        ? {}
        : {
            snat: snat
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean),
          }),
    }),
  );
  io.stdout(f5.formatPlan(plan, format as (typeof formats)[number]));
  for (const warning of plan.warnings) io.stderr(`warning: ${warning}\n`);
  return 0;
}

/** An error about the inventory's content names the inventory file it was read from. */
function withFile<T>(file: string, build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (isLeapError(error) && error.file === undefined) Object.defineProperty(error, 'file', { value: file });
    throw error;
  }
}

function pick<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}

async function readText(file: string, flag: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new CliError('LEAP_CLI_FILE_UNREADABLE', `cannot read ${file}: ${(error as Error).message}`, {
      file,
      exitCode: ExitCode.usage,
      hint: `check ${flag}`,
      cause: error,
    });
  }
}
