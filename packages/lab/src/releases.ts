import type { LabSource } from './types.js';

export type LabRelease = LabSource | 'newton';

export interface LabReleaseRow {
  /** rpc-openstack tag and the OSA tag its gitlink points at. */
  rpcTag: string;
  osaTag: string;
  codename: string;
  /** Commit and tag date in the lab repos (fixed, so the same seed gives the same SHAs). */
  date: string;
}

/** The lab's releases in order; the source's tags are the latest of each series (release-facts.md). */
export const LAB_RELEASES: Readonly<Record<LabRelease, LabReleaseRow>> = {
  kilo: { rpcTag: 'r11.1.18', osaTag: '11.2.17', codename: 'Kilo', date: '2017-02-14T12:00:00+00:00' },
  liberty: { rpcTag: 'r12.2.8', osaTag: '12.2.8', codename: 'Liberty', date: '2017-04-11T12:00:00+00:00' },
  mitaka: { rpcTag: 'r13.1.5', osaTag: '13.3.11', codename: 'Mitaka', date: '2017-06-20T12:00:00+00:00' },
  newton: { rpcTag: 'r14.1.0', osaTag: '14.2.3', codename: 'Newton', date: '2017-08-07T12:00:00+00:00' },
};

export const LAB_RELEASE_ORDER: readonly LabRelease[] = ['kilo', 'liberty', 'mitaka', 'newton'];

/** The source and every release before it: the history the lab repos carry before r14.1.0. */
export function releasesUpTo(source: LabSource): LabRelease[] {
  return LAB_RELEASE_ORDER.slice(0, LAB_RELEASE_ORDER.indexOf(source) + 1);
}

/** The release file of a deploy host at `release` (`/etc/openstack-release`). */
export function releaseFileContent(release: LabRelease): string {
  const row = LAB_RELEASES[release];
  return [
    'DISTRIB_ID="RPC"',
    `DISTRIB_RELEASE="${row.rpcTag}"`,
    `DISTRIB_CODENAME="${row.codename}"`,
    'DISTRIB_DESCRIPTION="Rackspace Private Cloud powered by OpenStack"',
    '',
  ].join('\n');
}
