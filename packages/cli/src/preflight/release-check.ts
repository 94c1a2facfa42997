import type { LeapConfig } from '../config.js';
import { isLeapError } from '../errors.js';
import { readReleaseFile } from '../release.js';
import type { CheckResult } from './types.js';

/** The source must be the last release of its series before leaping (an older one is upgraded first). */
export function checkSourceRelease(config: LeapConfig, recordedSource: string | undefined): CheckResult {
  const base = { id: 'source-release', title: 'source at the latest release of its series', file: config.releaseFile };
  if (recordedSource !== undefined) {
    return {
      ...base,
      status: 'skipped',
      message: `a leap from ${recordedSource} is under way (recorded in leap.json); the release file may already name the target`,
    };
  }
  try {
    const detected = readReleaseFile(config.releaseFile);
    if (detected.series === 'newton') {
      return {
        ...base,
        status: 'failed',
        message: `${config.releaseFile} names ${detected.version}: this cloud already runs Newton`,
        hint: 'there is nothing to leap from',
      };
    }
    if (!detected.latest) {
      return {
        ...base,
        status: 'failed',
        message: `${detected.version} is not the latest ${detected.series} release (${detected.latestOfSeries})`,
        hint: `upgrade the cloud to ${detected.latestOfSeries} with the ${detected.series} tooling first, then leap`,
      };
    }
    return { ...base, status: 'ok', message: `${detected.version} (${detected.series})` };
  } catch (error) {
    if (!isLeapError(error)) throw error;
    return { ...base, status: 'failed', message: error.message, ...(error.hint ? { hint: error.hint } : {}) };
  }
}
