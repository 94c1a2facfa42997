import type { LeapReport } from './collect.js';
import { versionText } from './markdown.js';
import { escapeHtml as e, spoken, timelineSvg } from './timeline-svg.js';

// Inline only: the page is handed on by mail or ticket and opened where there may be no network.
const STYLE = `
:root { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d232a; }
body { max-width: 1240px; margin: 24px auto; padding: 0 20px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid #d5dbe1; }
dl.summary { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 12px 0; }
dl.summary dt { color: #56606b; } dl.summary dd { margin: 0; }
table { border-collapse: collapse; width: 100%; margin: 6px 0; } th, td { text-align: left; padding: 3px 8px; }
th { background: #eef1f4; font-weight: 600; } tr:nth-child(even) td { background: #f8f9fa; }
td.num { text-align: right; font-variant-numeric: tabular-nums; } code, .mono { font: 12px ui-monospace, monospace; }
.muted { fill: #56606b; color: #56606b; } .ok { color: #146c2e; } .bad { color: #b3261e; font-weight: 600; }
svg text { font: 11px ui-monospace, monospace; fill: #1d232a; } svg .section { font: 600 12px system-ui, sans-serif; }
svg .axis { fill: #56606b; } svg .tick { stroke: #e3e7eb; } svg .gap { stroke: #8a949e; stroke-dasharray: 3 3; }
svg .attempt.completed { fill: #2e7d32; } svg .attempt.failed { fill: #c62828; }
svg .attempt.interrupted { fill: #ef8f00; } svg .attempt.unfinished { fill: #7b1fa2; } svg .attempt.running { fill: #1565c0; }
svg .downtime { fill: #c62828; fill-opacity: 0.08; stroke: #c62828; stroke-opacity: 0.5; }
svg .downtime-label { fill: #b3261e; font-weight: 600; } svg .point { stroke: #1d232a; stroke-width: 1.5; stroke-dasharray: 6 3; }
svg .point-label { font-weight: 600; } .legend span { display: inline-block; margin-right: 14px; }
.legend i { display: inline-block; width: 12px; height: 10px; margin-right: 4px; vertical-align: middle; }
@media print {
  :root { font-size: 11px; } body { margin: 0; max-width: none; }
  h2 { break-after: avoid; } tr, svg { break-inside: avoid; } a { color: inherit; text-decoration: none; }
}`;

function table(headers: string[], rows: string[][], numeric: number[] = []): string {
  const head = `<tr>${headers.map((h) => `<th>${e(h)}</th>`).join('')}</tr>`;
  const body = rows
    .map((r) => `<tr>${r.map((c, i) => `<td${numeric.includes(i) ? ' class="num"' : ''}>${c}</td>`).join('')}</tr>`)
    .join('\n');
  return `<table>\n${head}\n${body}\n</table>`;
}

const none = (text: string) => `<p class="muted">${e(text)}</p>`;

function summary(report: LeapReport, now: number): string {
  const done = report.steps.filter((s) => s.status === 'done').length;
  const d = report.downtime;
  const downtime =
    d === null
      ? 'not started'
      : d.durationMs === null
        ? `since ${d.startedAt} (${spoken(now - Date.parse(d.startedAt))} so far)`
        : `${spoken(d.durationMs)}, ${d.startedAt} to ${d.endedAt ?? ''} (${d.from} to ${d.to})`;
  const failedTries = report.attempts.filter((a) => !['completed', 'running'].includes(a.outcome)).length;
  const items: Array<[string, string]> = [
    ['leap', `${report.source ?? '?'} → ${report.target ?? '?'}`],
    ['started', report.startedAt ?? 'not started'],
    ['steps', `${done} of ${report.steps.length} done`],
    ['API downtime', downtime],
    ['point of no return', report.layout?.pointOfNoReturn ?? 'none'],
    ['attempts that did not complete', String(failedTries)],
    ['warnings', String(report.warnings.length)],
  ];
  return `<dl class="summary">${items.map(([k, v]) => `<dt>${e(k)}</dt><dd>${e(v)}</dd>`).join('')}</dl>`;
}

function legend(): string {
  const items: Array<[string, string]> = [
    ['#2e7d32', 'completed'],
    ['#c62828', 'failed'],
    ['#ef8f00', 'interrupted'],
    ['#1565c0', 'running'],
    ['#7b1fa2', 'unfinished (its process died)'],
    ['rgba(198,40,40,0.15)', 'API downtime'],
  ];
  return `<p class="legend">${items.map(([c, t]) => `<span><i style="background:${c}"></i>${e(t)}</span>`).join('')}</p>`;
}

function backups(report: LeapReport): string {
  if (report.backups.length === 0) return none('No backup yet.');
  return report.backups
    .map(
      (b) =>
        `<p><code>${e(b.dir)}</code>: ${b.verified ? `<span class="ok">verified</span> (${e(b.verification ?? 'method not recorded')})` : '<span class="bad">NOT verified</span>'}</p>\n` +
        table(
          ['database', 'bytes', 'sha256'],
          b.databases.map((d) => [e(d.name), d.bytes.toLocaleString('en'), `<span class="mono">${e(d.sha256)}</span>`]),
          [1],
        ),
    )
    .join('\n');
}

/** One row per file: what was done to it, keys only. */
function configChanges(report: LeapReport): string {
  if (report.filesChanged.length === 0) return none('Nothing yet.');
  const byFile = new Map<string, string[]>();
  for (const change of report.filesChanged) {
    const what =
      change.key === null
        ? `${change.action}${change.detail ? ` (${change.detail})` : ''}`
        : `${change.action} ${change.key}`;
    byFile.set(change.file, [...(byFile.get(change.file) ?? []), what]);
  }
  return table(
    ['file', 'changes', 'what was done'],
    [...byFile].map(([file, changes]) => [
      `<code>${e(file)}</code>`,
      String(changes.length),
      changes.map((c) => e(c)).join('; '),
    ]),
    [1],
  );
}

/** The report as one self-contained page: no script, no request, readable printed and at 1280 px. */
export function reportHtml(report: LeapReport, now = Date.now()): string {
  const title = `leap report: ${report.source ?? '?'} → ${report.target ?? '?'}`;
  const sections = report.layout?.sections ?? [{ name: 'steps', stepIds: report.steps.map((s) => s.id) }];
  const parts = [
    `<h1>${e(title)}</h1>`,
    summary(report, now),
    '<h2>Timeline</h2>',
    legend(),
    timelineSvg({
      sections,
      attempts: report.attempts,
      pointOfNoReturn: report.layout?.pointOfNoReturn ?? null,
      downtime: report.downtime,
      now,
    }),
    '<h2>Schema versions</h2>',
    report.schemaVersions.length === 0
      ? none('No migration has run yet.')
      : table(
          ['release', 'migration', 'status', 'before', 'after'],
          report.schemaVersions.map((v) => [
            e(v.release),
            e(v.step),
            e(v.status),
            e(versionText(v.before)),
            e(versionText(v.after)),
          ]),
        ),
    '<h2>Backups</h2>',
    backups(report),
    '<h2>Rows purged</h2>',
    report.purged === null
      ? none('Housekeeping has not run yet.')
      : `<p>${report.purged.rows.toLocaleString('en')} rows in all.</p>` +
        table(
          ['table', 'rows purged'],
          report.purged.tables.map((t) => [e(t.table), t.purged.toLocaleString('en')]),
          [1],
        ),
    '<h2>Configuration changed</h2>',
    '<p class="muted">Keys and what was done, never a value.</p>',
    configChanges(report),
    '<h2>Containers</h2>',
    report.containers.destroyed === null
      ? none('The re-deploy has not destroyed any container yet.')
      : `<p>Destroyed with their data by the re-deploy: host pattern <code>${e(report.containers.destroyed)}</code>; ` +
        `the playbook ran on ${report.containers.destroyedOn.length} hosts: ${report.containers.destroyedOn.map((h) => `<code>${e(h)}</code>`).join(', ')}</p>`,
    report.containers.kept.length === 0
      ? none('No neutron agents container was kept.')
      : `<p>Kept (neutron agents, until the new agents run):</p><ul>${report.containers.kept.map((k) => `<li><code>${e(typeof k === 'string' ? k : JSON.stringify(k))}</code></li>`).join('\n')}</ul>`,
    ...afterTheRedeploy(report),
    ...report.reviews.map(
      (r) =>
        `<h2>Confirmation ${r.confirmation === 'redeploy' ? '2' : e(r.confirmation)}: what was confirmed</h2>\n<p class="muted">${e(r.at)}</p>\n<pre class="mono">${e(r.text)}</pre>`,
    ),
    '<h2>Warnings</h2>',
    report.warnings.length === 0
      ? none('None.')
      : `<ul>${report.warnings.map((w) => `<li>${e(w)}</li>`).join('\n')}</ul>`,
  ];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${e(title)}</title>
<style>${STYLE}</style>
</head>
<body>
${parts.join('\n')}
</body>
</html>
`;
}

/** What the cleanup after the re-deploy did, and the last health check. */
function afterTheRedeploy(report: LeapReport): string[] {
  return [
    '<h2>Health after the leap</h2>',
    report.health === null
      ? none('leap verify has not run yet.')
      : `<p>${report.health.ok ? 'Healthy' : '<strong>Not healthy</strong>'}, checked ${e(report.health.at)}.</p>` +
        table(
          ['check', 'result', 'looked at', 'problems'],
          report.health.findings.map((f) => [
            e(f.check),
            f.ok ? 'ok' : '<strong>failed</strong>',
            e(f.looked),
            f.problems.map((p) => e(p)).join('<br>'),
          ]),
        ),
    '<h2>Cleanup after the re-deploy</h2>',
    report.cleanup.length === 0
      ? none('Nothing cleaned up yet.')
      : table(
          ['what', 'action', 'id', 'detail'],
          report.cleanup.map((c) => [e(c.name), e(c.action), `<code>${e(c.id ?? '')}</code>`, e(c.reason ?? '')]),
        ),
  ];
}
