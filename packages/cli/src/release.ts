import { readFileSync } from 'node:fs';
import { CliError, ExitCode } from './errors.js';

export const series = ['kilo', 'liberty', 'mitaka', 'newton'] as const;
export type Series = (typeof series)[number];
/** The releases a leap may start from. */
export type SourceSeries = Exclude<Series, 'newton'>;

/**
 * RPCO major (r11 ...) and OSA major (11 ...) of each series, and its last release (release-facts.md).
 * Only Kilo's last OSA version is known for certain (eol-kilo = 11.2.17); for the others an OSA-only
 * deployment counts as latest when its file names the eol tag.
 */
const seriesTable: Record<Series, { rpcMajor: number; osaMajor: number; latestRpco: string; latestOsa?: string }> = {
  kilo: { rpcMajor: 11, osaMajor: 11, latestRpco: 'r11.1.18', latestOsa: '11.2.17' },
  liberty: { rpcMajor: 12, osaMajor: 12, latestRpco: 'r12.2.8' },
  mitaka: { rpcMajor: 13, osaMajor: 13, latestRpco: 'r13.1.5' },
  newton: { rpcMajor: 14, osaMajor: 14, latestRpco: 'r14.23.0' },
};

export interface DetectedRelease {
  series: Series;
  /** The release as the file names it, e.g. r11.1.18 or 11.2.17 or eol-kilo. */
  version: string;
  /** Whether it is the last release of its series (what the guide means by "at the latest version"). */
  latest: boolean;
  latestOfSeries: string;
}

/** Maps a DISTRIB_RELEASE value (`r11.1.18`, `11.2.17`, `eol-kilo`, `kilo-eol`) to its series. */
export function seriesOf(version: string): Series | undefined {
  const named = series.find((s) => version === `eol-${s}` || version === `${s}-eol` || version === s);
  if (named) return named;
  const match = /^(r?)(\d+)\.\d+(\.\d+)?/.exec(version);
  if (!match) return undefined;
  const major = Number(match[2]);
  return series.find((s) => (match[1] === 'r' ? seriesTable[s].rpcMajor : seriesTable[s].osaMajor) === major);
}

export function describeRelease(version: string, file?: string): DetectedRelease {
  const found = seriesOf(version);
  if (found === undefined) {
    throw new CliError('LEAP_RELEASE_UNKNOWN', `cannot tell which OpenStack release '${version}' is`, {
      file,
      exitCode: ExitCode.usage,
      hint: 'leap understands RPCO tags (r11.x kilo ... r14.x newton), OSA versions (11.x ... 14.x) and eol-<series>',
    });
  }
  const row = seriesTable[found];
  const rpc = version.startsWith('r');
  const latestOfSeries = rpc ? row.latestRpco : (row.latestOsa ?? `eol-${found}`);
  const latest = version === latestOfSeries || version === `eol-${found}` || version === `${found}-eol`;
  return { series: found, version, latest, latestOfSeries };
}

/** Reads DISTRIB_RELEASE from the release file (/etc/openstack-release). */
export function readReleaseFile(file: string): DetectedRelease {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliError('LEAP_RELEASE_FILE', `cannot read the release file ${file}: ${(error as Error).message}`, {
      file,
      exitCode: ExitCode.usage,
      cause: error,
      hint: "point --release-file (or releaseFile in leap.yaml) at the deployment's openstack-release file",
    });
  }
  const match = /^DISTRIB_RELEASE=["']?([^"'\n]+)["']?\s*$/m.exec(text);
  if (!match?.[1]) {
    throw new CliError('LEAP_RELEASE_FILE', `${file} has no DISTRIB_RELEASE line`, {
      file,
      exitCode: ExitCode.usage,
      hint: 'the file should contain a line such as DISTRIB_RELEASE="r11.1.18"',
    });
  }
  return describeRelease(match[1], file);
}

/** A release a leap passes through. */
export type TargetSeries = Exclude<Series, 'kilo'>;

/** The releases a leap from `source` passes through, in order, ending with newton. */
export function releasesAfter(source: SourceSeries): TargetSeries[] {
  return series.slice(series.indexOf(source) + 1) as TargetSeries[];
}

export function isSourceSeries(value: Series): value is SourceSeries {
  return value !== 'newton';
}
