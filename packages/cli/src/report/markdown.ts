import type { LeapReport } from './collect.js';

const seconds = (ms: number | null) => (ms === null ? '' : `${(ms / 1000).toFixed(1)} s`);

/** The report for humans. Secret values never reach it: config changes carry key names only. */
export function reportMarkdown(report: LeapReport): string {
  const out: string[] = [];
  out.push(`# leap report: ${report.source ?? '?'} -> ${report.target ?? '?'}`, '');
  if (report.startedAt) out.push(`Started ${report.startedAt}.`, '');
  const d = report.downtime;
  if (d !== null)
    out.push(
      d.durationMs === null
        ? `API down since ${d.startedAt} (${d.from}); the re-deploy has not finished.`
        : `API downtime: ${(d.durationMs / 1000).toFixed(1)} s, ${d.startedAt} to ${d.endedAt ?? ''} (${d.from} to ${d.to}).`,
      '',
    );
  const done = report.steps.filter((s) => s.status === 'done').length;
  out.push(
    `## Steps (${done}/${report.steps.length} done)`,
    '',
    '| step | state | duration | result |',
    '|---|---|---|---|',
  );
  for (const s of report.steps)
    out.push(`| ${s.id} | ${s.status} | ${seconds(s.durationMs)} | ${(s.result ?? '').replace(/\|/g, '\\|')} |`);
  out.push('', '## Schema versions', '');
  if (report.schemaVersions.length === 0) out.push('No migration has run yet.');
  else {
    out.push('| release | migration | status | before | after |', '|---|---|---|---|---|');
    for (const v of report.schemaVersions)
      out.push(`| ${v.release} | ${v.step} | ${v.status} | ${versionText(v.before)} | ${versionText(v.after)} |`);
  }
  out.push('', '## Backups', '');
  if (report.backups.length === 0) out.push('No backup yet.');
  for (const b of report.backups) {
    out.push(`${b.dir} (${b.verified ? `verified: ${b.verification ?? 'method not recorded'}` : 'NOT verified'}):`, '');
    for (const d of b.databases) out.push(`- ${d.name}: ${d.bytes} bytes, sha256 ${d.sha256}`);
    out.push('');
  }
  out.push('## Housekeeping', '');
  out.push(
    report.purged
      ? `${report.purged.rows} rows purged: ${report.purged.tables.map((t) => `${t.table} ${t.purged}`).join(', ') || 'none'}`
      : 'Not run yet.',
  );
  out.push('', '## Configuration changed (keys and what was done; never a value of a secret)', '');
  if (report.filesChanged.length === 0) out.push('Nothing yet.');
  for (const c of report.filesChanged) out.push(`- ${describeChange(c)}`);
  if (report.containers.destroyed !== null)
    out.push(
      '',
      '## Containers destroyed with their data',
      '',
      `Host pattern \`${report.containers.destroyed}\`; the playbook ran on: ${report.containers.destroyedOn.join(', ') || 'no host'}.`,
    );
  if (report.neutronKept.length > 0)
    out.push(
      '',
      '## Neutron agents containers kept during the re-deploy',
      '',
      ...report.neutronKept.map((k) => `- ${JSON.stringify(k)}`),
    );
  out.push(...afterTheRedeploy(report));
  for (const review of report.reviews)
    out.push(
      '',
      `## Confirmation ${review.confirmation === 'redeploy' ? '2' : review.confirmation}: what was confirmed at ${review.at}`,
      '',
      '```',
      review.text,
      '```',
    );
  out.push(
    '',
    '## Warnings',
    '',
    ...(report.warnings.length === 0 ? ['None.'] : report.warnings.map((w) => `- ${w}`)),
    '',
  );
  return out.join('\n');
}

export function versionText(version: unknown): string {
  if (version === null || version === undefined) return '';
  const v = version as { release?: string | null; components?: Array<{ component: string; value: unknown }> };
  if (Array.isArray(v.components)) {
    const values = v.components.map((c) => `${c.component} ${String(c.value)}`).join(', ');
    return v.release ? `${v.release} (${values})` : values;
  }
  return JSON.stringify(version).slice(0, 80);
}

/** `updated glance_swift_store_auth_version in …/user_variables.yml`, or for a whole file `created …/env.d/gnocchi.yml (newton env.d skeleton)`. */
export function describeChange(change: LeapReport['filesChanged'][number]): string {
  const detail = change.detail ? ` (${change.detail})` : '';
  if (change.key !== null) return `${change.action} ${change.key} in ${change.file}${detail}`;
  return `${change.action} ${change.file}${detail}`;
}

/** What the cleanup after the re-deploy did, and the last health check. */
function afterTheRedeploy(report: LeapReport): string[] {
  const out: string[] = [];
  if (report.cleanup.length > 0)
    out.push(
      '',
      '## Cleanup after the re-deploy (services, agents, volumes and ports of Kilo host names)',
      '',
      '| what | action | id | detail |',
      '|---|---|---|---|',
      ...report.cleanup.map(
        (c) => `| ${c.name} | ${c.action} | ${c.id ?? ''} | ${(c.reason ?? '').replace(/\|/g, '\\|')} |`,
      ),
    );
  if (report.health !== null)
    out.push(
      '',
      `## Health after the leap (${report.health.ok ? 'healthy' : 'NOT healthy'}, checked ${report.health.at})`,
      '',
      ...report.health.findings.flatMap((f) => [
        `- ${f.ok ? 'ok' : 'FAILED'}: ${f.check} (${f.looked})`,
        ...f.problems.map((p) => `  - ${p}`),
      ]),
    );
  return out;
}
