import type { F5Diff } from './diff.js';
import { diffConfigs } from './diff.js';
import { emitRunbook } from './emit-tmsh.js';
import { F5Error } from './errors.js';
import { generateConfig, releaseProfile, type GenerateResult } from './generate.js';
import type { F5Config } from './model.js';
import type { GenerateOptions } from './options.js';
import { parseTmsh, type ParsedConfig } from './parse-tmsh.js';
import type { ReleaseName } from './profiles/index.js';
import { formatTable } from './summary.js';

export type OutputFormat = 'tmsh' | 'json' | 'table';

export interface PlanOptions extends GenerateOptions {
  /** Default `kilo`. */
  from?: ReleaseName;
  /** Default `newton`. */
  to?: ReleaseName;
  /** What the device really has: the text of `tmsh -q list ltm recursive` or a bigip.conf. */
  current?: { text: string; file?: string; folder?: string };
  /** Device group for the config-sync at the end of each phase. */
  configSyncGroup?: string;
}

export interface F5Plan {
  from: GenerateResult;
  to: GenerateResult;
  /** `device` when read from `current`, else the generated source-release configuration. */
  currentSource: 'device' | 'generated';
  current: F5Config;
  diff: F5Diff;
  /** Generation warnings of both releases and the diff's, without repeats. */
  warnings: string[];
  configSyncGroup?: string;
}

/**
 * The per-environment F5 change list of a leap: generate both releases from the inventory, read the
 * device's configuration if given (else assume the generated source release), and diff. Pure: the
 * caller reads the files.
 */
export function planF5Upgrade(inventory: unknown, options: PlanOptions = {}): F5Plan {
  const fromRelease = options.from ?? 'kilo';
  const toRelease = options.to ?? 'newton';
  releaseProfile(fromRelease);
  releaseProfile(toRelease);
  const to = generateConfig(toRelease, inventory, options);
  const from = generateConfig(fromRelease, inventory, options);
  let current: ParsedConfig | F5Config = from.config;
  const warnings = [...new Set([...from.warnings, ...to.warnings])];
  if (options.current !== undefined) {
    current = parseTmsh(options.current.text, { file: options.current.file, folder: options.current.folder });
  } else {
    warnings.push(
      `No device configuration given: the diff assumes the F5 holds exactly what leap generates for ${fromRelease}; pass the output of \`tmsh -q list ltm recursive\` to diff against the real device.`,
    );
  }
  const diff = diffConfigs(current, to.config, options.current === undefined ? {} : { known: from.config });
  const plan: F5Plan = {
    from,
    to,
    currentSource: options.current === undefined ? 'generated' : 'device',
    current,
    diff,
    warnings: [...new Set([...warnings, ...diff.warnings])],
  };
  if (options.configSyncGroup !== undefined) plan.configSyncGroup = options.configSyncGroup;
  return plan;
}

/** The plan as the operator asked for it: a tmsh runbook, JSON, or a summary table. */
export function formatPlan(plan: F5Plan, format: OutputFormat): string {
  const title = `F5 changes ${plan.from.release} → ${plan.to.release}`;
  switch (format) {
    case 'tmsh':
      return emitRunbook(
        { ...plan.diff, warnings: plan.warnings },
        {
          title,
          ucsFile: `/var/local/ucs/leap-${plan.from.release}-to-${plan.to.release}.ucs`,
          externalMonitorScript: releaseProfile(plan.to.release).externalMonitorScript,
          ...(plan.configSyncGroup === undefined ? {} : { configSyncGroup: plan.configSyncGroup }),
        },
      );
    case 'json':
      return `${JSON.stringify(
        {
          from: plan.from.release,
          to: plan.to.release,
          currentSource: plan.currentSource,
          changes: plan.diff.changes,
          monitorSwaps: plan.diff.monitorSwaps,
          kept: plan.diff.kept,
          warnings: plan.warnings,
          target: plan.to.config.objects,
        },
        null,
        2,
      )}\n`;
    case 'table':
      return formatTable({ ...plan.diff, warnings: plan.warnings }, title);
    default:
      throw new F5Error('LEAP_F5_FORMAT_UNKNOWN', `Unknown output format "${String(format)}".`, {
        hint: 'Use --format tmsh, json or table.',
      });
  }
}
