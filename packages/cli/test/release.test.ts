import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '@leap/test-fixtures';
import { describeRelease, readReleaseFile, releasesAfter, seriesOf } from '../src/release.js';

describe('release detection', () => {
  it.each([
    ['r11.1.18', 'kilo'],
    ['11.2.17', 'kilo'],
    ['eol-kilo', 'kilo'],
    ['r12.2.8', 'liberty'],
    ['12.0.1', 'liberty'],
    ['r13.1.5', 'mitaka'],
    ['mitaka-eol', 'mitaka'],
    ['r14.1.0', 'newton'],
  ])('maps %s to %s', (version, expected) => {
    expect(seriesOf(version)).toBe(expected);
  });

  it('knows whether a source is at the latest release of its series', () => {
    expect(describeRelease('r11.1.18')).toMatchObject({ series: 'kilo', latest: true });
    expect(describeRelease('r11.1.5')).toMatchObject({ series: 'kilo', latest: false, latestOfSeries: 'r11.1.18' });
  });

  it('reads DISTRIB_RELEASE from the release file', () => {
    const file = join(tempDir(), 'openstack-release');
    writeFileSync(file, 'DISTRIB_ID="RPC"\nDISTRIB_RELEASE="r11.1.18"\nDISTRIB_CODENAME="Kilo"\n');
    expect(readReleaseFile(file)).toMatchObject({ series: 'kilo', version: 'r11.1.18' });
  });

  it('names the file when it has no DISTRIB_RELEASE', () => {
    const file = join(tempDir(), 'openstack-release');
    writeFileSync(file, 'nothing here\n');
    expect(() => readReleaseFile(file)).toThrow(expect.objectContaining({ code: 'LEAP_RELEASE_FILE', file }));
  });

  it('refuses a release it does not know', () => {
    expect(() => describeRelease('r9.0.0')).toThrow(expect.objectContaining({ code: 'LEAP_RELEASE_UNKNOWN' }));
  });

  it('lists the releases a leap passes through', () => {
    expect(releasesAfter('kilo')).toEqual(['liberty', 'mitaka', 'newton']);
    expect(releasesAfter('liberty')).toEqual(['mitaka', 'newton']);
  });
});
