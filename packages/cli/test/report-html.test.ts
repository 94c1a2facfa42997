import { describe, expect, it } from 'vitest';
import type { JournalEntry } from '@leap/markers';
import { attemptsOf, downtimeOf } from '../src/report/attempts.js';
import type { LeapReport } from '../src/report/collect.js';
import { reportHtml } from '../src/report/html.js';
import { ticks } from '../src/report/timeline-svg.js';

const t0 = Date.parse('2026-12-01T08:00:00Z');
const at = (minutes: number) => new Date(t0 + minutes * 60_000).toISOString();
const line = (event: JournalEntry['event'], step: string, minutes: number): JournalEntry => ({
  level: 'info',
  time: at(minutes),
  pid: 1,
  hostname: 'deploy',
  event,
  msg: event,
  step,
  runId: minutes < 100 ? 'run-1' : 'run-2',
});

// A leap that failed in the re-deploy, was resumed the next day (a 20-hour pause) and finished.
const journal: JournalEntry[] = [
  line('step-started', 'db/backup', 0),
  line('step-completed', 'db/backup', 3),
  line('step-started', 'services/power-down', 4),
  line('step-completed', 'services/power-down', 5),
  line('step-started', 'liberty/migrate', 5),
  line('step-completed', 'liberty/migrate', 9),
  line('step-started', 'newton/redeploy/os-nova-install', 9),
  line('step-failed', 'newton/redeploy/os-nova-install', 20),
  line('step-started', 'newton/redeploy/os-nova-install', 1200),
  line('step-completed', 'newton/redeploy/os-nova-install', 1230),
  line('step-started', 'post/report', 1231),
];

function report(): LeapReport {
  const attempts = attemptsOf(journal, new Set(['post/report']));
  const layout = {
    sections: [
      { name: 'database', stepIds: ['db/backup'] },
      { name: 'services stopped', stepIds: ['services/power-down'] },
      { name: 'liberty database migrations', stepIds: ['liberty/migrate'] },
      { name: 're-deploy', stepIds: ['newton/redeploy/os-nova-install'] },
      { name: 'post-leap', stepIds: ['post/report'] },
    ],
    pointOfNoReturn: 'liberty/migrate',
    downtime: { first: 'services/power-down', last: 'newton/redeploy/os-nova-install' },
  };
  return {
    source: 'kilo',
    target: 'r14.1.0',
    startedAt: at(0),
    steps: layout.sections.flatMap((s) =>
      s.stepIds.map((id) => ({ id, status: 'done', durationMs: 1000, result: null })),
    ),
    schemaVersions: [{ release: 'liberty', step: 'liberty/migrate', status: 'migrated', before: 1, after: 2 }],
    backups: [
      { dir: '/b', verified: true, verification: 'restored', databases: [{ name: 'nova', sha256: 'ab', bytes: 5 }] },
    ],
    purged: { rows: 1200, tables: [{ table: 'keystone.token', purged: 1200 }] },
    filesChanged: [{ file: 'user_secrets.yml', action: 'added', key: 'nova_api_db_password', detail: null }],
    neutronKept: ['infra1_neutron_agents_container-1a2b'],
    containers: {
      destroyed: 'all_containers:!galera_all',
      destroyedOn: ['infra1_nova_api_container-3c4d'],
      kept: ['x'],
    },
    cleanup: [],
    health: null,
    warnings: ['a <script>alert(1)</script> in a hostname'],
    layout,
    attempts,
    downtime: downtimeOf(attempts, layout.downtime),
    reviews: [{ confirmation: 'redeploy', at: at(8), text: 'Before the re-deploy: review <the keys>' }],
  };
}

describe('the attempts and the downtime from the journal', () => {
  it('keeps every try, the failed one and the one the live run is in', () => {
    expect(report().attempts.map((a) => `${a.step} ${a.outcome}`)).toEqual([
      'db/backup completed',
      'services/power-down completed',
      'liberty/migrate completed',
      'newton/redeploy/os-nova-install failed',
      'newton/redeploy/os-nova-install completed',
      'post/report running',
    ]);
    expect(attemptsOf(journal).at(-1)?.outcome).toBe('unfinished');
  });

  it('measures the API downtime from the first power-down to the end of the last re-deploy step', () => {
    expect(report().downtime).toMatchObject({ startedAt: at(4), endedAt: at(1230), durationMs: 1226 * 60_000 });
    expect(downtimeOf(attemptsOf(journal.slice(0, 8)), report().layout!.downtime!)).toMatchObject({
      endedAt: null,
      durationMs: null,
    });
  });
});

describe('reportHtml', () => {
  const html = reportHtml(report(), Date.parse(at(1232)));

  it('draws every step, every attempt, the downtime window and the point of no return', () => {
    for (const id of report().steps.map((s) => s.id)) expect(html).toContain(`data-step-label="${id}"`);
    expect(html.match(/<rect class="attempt failed"/g)).toHaveLength(1);
    expect(html.match(/<rect class="attempt (completed|failed|running)"/g)).toHaveLength(6);
    expect(html).toContain('<g id="downtime">');
    expect(html).toContain('API down 20 h 26 min');
    expect(html).toContain('<g id="point-of-no-return">');
    // The 20-hour pause is squeezed, not drawn to scale.
    expect(html).toContain('<line class="gap"');
  });

  it('is one file that asks for nothing: no script, no external URL, a CSP that forbids loads', () => {
    expect(html).not.toMatch(/<script|<link|<img|@import|url\(/i);
    expect(html.match(/https?:\/\/[^"' ]+/g)).toEqual(['http://www.w3.org/2000/svg']);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
  });

  it('escapes what the journal holds and shows keys, never values', () => {
    expect(html).toContain('a &lt;script&gt;alert(1)&lt;/script&gt; in a hostname');
    expect(html).toContain(
      '<code>user_secrets.yml</code></td><td class="num">1</td><td>added nova_api_db_password</td>',
    );
    expect(html).toContain('all_containers:!galera_all');
    expect(html).toContain('<pre class="mono">Before the re-deploy: review &lt;the keys&gt;</pre>');
  });

  it('labels the time axis with round UTC clock times, about ten, on each busy stretch', () => {
    const start = Date.parse('2026-12-01T08:00:00Z');
    const hour = ticks([{ start, end: start + 50 * 60_000 }]);
    expect(hour.map((t) => t.label)).toEqual([
      '08:00',
      '08:05',
      '08:10',
      '08:15',
      '08:20',
      '08:25',
      '08:30',
      '08:35',
      '08:40',
      '08:45',
      '08:50',
    ]);
    const short = ticks([{ start: start + 5_000, end: start + 95_000 }]);
    expect(short.map((t) => t.label)).toEqual([
      '08:00:10',
      '08:00:20',
      '08:00:30',
      '08:00:40',
      '08:00:50',
      '08:01:00',
      '08:01:10',
      '08:01:20',
      '08:01:30',
    ]);
    expect(html).toContain('<line class="tick"');
  });

  it('renders a leap that has not started', () => {
    const empty = { ...report(), attempts: [], downtime: null, startedAt: null };
    expect(reportHtml(empty)).toContain('No step has started yet.');
  });
});
