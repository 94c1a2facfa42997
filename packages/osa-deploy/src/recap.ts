/** One host's line of the PLAY RECAP. */
export interface HostRecap {
  ok: number;
  changed: number;
  unreachable: number;
  failed: number;
  skipped: number;
  rescued: number;
  ignored: number;
}

export type Recap = Record<string, HostRecap>;

const RECAP_LINE = /^(\S+)\s+:\s+((?:\w+=\d+\s*)+)$/;
const COUNTERS = ['ok', 'changed', 'unreachable', 'failed', 'skipped', 'rescued', 'ignored'] as const;

/** Parses `host : ok=1 changed=0 unreachable=0 failed=1 ...`; undefined for any other line. */
export function parseRecapLine(line: string): { host: string; counts: HostRecap } | undefined {
  const match = RECAP_LINE.exec(line.trimEnd());
  if (!match?.[1] || !match[2]) return undefined;
  const counts: HostRecap = { ok: 0, changed: 0, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 };
  for (const pair of match[2].trim().split(/\s+/)) {
    const [key, value] = pair.split('=');
    if ((COUNTERS as readonly string[]).includes(key ?? '')) counts[key as keyof HostRecap] = Number(value);
  }
  return { host: match[1], counts };
}

/** Parses every recap line of a PLAY RECAP block (the lines after the `PLAY RECAP ***` header). */
export function parseRecap(text: string): Recap {
  const recap: Recap = {};
  let inRecap = false;
  for (const line of text.split('\n')) {
    if (line.startsWith('PLAY RECAP')) {
      inRecap = true;
      continue;
    }
    if (!inRecap) continue;
    const parsed = parseRecapLine(line);
    if (parsed) recap[parsed.host] = parsed.counts;
  }
  return recap;
}

export function failedHosts(recap: Recap): string[] {
  return Object.keys(recap)
    .filter((host) => (recap[host]?.failed ?? 0) > 0)
    .sort();
}

export function unreachableHosts(recap: Recap): string[] {
  return Object.keys(recap)
    .filter((host) => (recap[host]?.unreachable ?? 0) > 0)
    .sort();
}
