/**
 * The SHAs a leap verifies for each target it knows, read from the public rcbops/rpc-openstack repository
 * (`git rev-parse TAG^{commit}`, `git ls-tree TAG openstack-ansible`). They are the values the guide tells the
 * operator to compare by eye on the tag page; shipping them lets leap refuse a re-pointed tag or a fork.
 * A future target adds a row here, not a code path.
 */
export interface ExpectedShas {
  /** The rpc-openstack commit the tag must peel to. */
  commit: string;
  /** Submodule path (relative to the repo) -> the commit its gitlink must record. */
  submodules: Readonly<Record<string, string>>;
}

export interface ReleasePin extends ExpectedShas {
  tag: string;
  series: string;
  note: string;
}

export const RELEASE_PINS: Readonly<Record<string, ReleasePin>> = {
  'r14.1.0': {
    tag: 'r14.1.0',
    series: 'newton',
    commit: 'e14f004f8a445bb8915791edc1197548d1c6f604',
    submodules: { 'openstack-ansible': '5487c34cd7b201046162ad15879099927a88a6fb' },
    note: 'the leap target; committed 2017-08-07 ("LA-384 cleanups")',
  },
  'r11.1.18': {
    tag: 'r11.1.18',
    series: 'kilo',
    commit: 'cc8698319d33fe9e96550f6aca3acc47b22f07f2',
    submodules: { 'openstack-ansible': '97e3425871659881201106d3e7fd406dc5bd8ff3' },
    note: 'latest Kilo; OSA eol-kilo = 11.2.17',
  },
  'r12.2.8': {
    tag: 'r12.2.8',
    series: 'liberty',
    commit: '8c9df3a69c24677e9bde8c670185bdcb526954d3',
    submodules: { 'openstack-ansible': '78bfcb615cb10614456cf81faacd187c2c0fb607' },
    note: 'latest Liberty',
  },
  'r13.1.5': {
    tag: 'r13.1.5',
    series: 'mitaka',
    commit: '301dc268870aa9e0f11a024951c2831557480636',
    submodules: { 'openstack-ansible': 'fbafe397808ef3ee3447fe8fefa6ac7e5c6ff144' },
    note: 'latest Mitaka',
  },
  'r14.23.0': {
    tag: 'r14.23.0',
    series: 'newton',
    commit: '9587acd268b9dde7cc7aaecb87ad029564745d07',
    submodules: { 'openstack-ansible': 'e132fca05752b1f8a4795f54b83a1ab0d634b860' },
    note: 'latest Newton',
  },
};

export const DEFAULT_TARGET = 'r14.1.0';

/** The pinned SHAs for `tag`, or undefined when leap ships none for it. */
export function expectedShasFor(tag: string): ExpectedShas | undefined {
  const pin = RELEASE_PINS[tag];
  return pin === undefined ? undefined : { commit: pin.commit, submodules: { ...pin.submodules } };
}
