import type { Downtime, StepAttempt } from './attempts.js';

export interface TimelineInput {
  sections: ReadonlyArray<{ name: string; stepIds: readonly string[] }>;
  attempts: readonly StepAttempt[];
  pointOfNoReturn: string | null;
  downtime: Downtime | null;
  /** The end of attempts still open (a leap under way): now. */
  now: number;
}

const WIDTH = 1200;
const LABEL = 330;
const ROW = 14;
const SECTION = 20;
const AXIS = 28;
/** A pause longer than this (the operator resumed later) is drawn as a fixed gap, not to scale. */
const MAX_IDLE_MS = 5 * 60_000;
const GAP_PX = 24;

export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}

/** "4 min 3 s", "12.4 s", "2 h 5 min". */
export function spoken(ms: number): string {
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
  return `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`;
}

interface Span {
  start: number;
  end: number;
}

/**
 * Time to x: busy stretches to scale, pauses longer than MAX_IDLE_MS squeezed to GAP_PX each, so a leap resumed the
 * next morning still shows its steps.
 */
function timeScale(spans: readonly Span[], width: number): { x: (t: number) => number; gaps: number[]; busy: Span[] } {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  const busy: Span[] = [];
  for (const span of sorted) {
    const last = busy.at(-1);
    if (last !== undefined && span.start - last.end <= MAX_IDLE_MS) last.end = Math.max(last.end, span.end);
    else busy.push({ ...span });
  }
  const total = busy.reduce((n, b) => n + Math.max(b.end - b.start, 1), 0);
  const perMs = (width - GAP_PX * Math.max(busy.length - 1, 0)) / total;
  const offsets: number[] = [];
  let at = 0;
  for (const b of busy) {
    offsets.push(at);
    at += Math.max(b.end - b.start, 1) * perMs + GAP_PX;
  }
  const x = (t: number) => {
    let i = busy.findIndex((b) => t <= b.end);
    if (i === -1) i = busy.length - 1;
    const b = busy[i]!;
    return offsets[i]! + (Math.min(Math.max(t, b.start), b.end) - b.start) * perMs;
  };
  return { x, gaps: offsets.slice(1).map((o) => o - GAP_PX / 2), busy };
}

const TICK_STEPS_MS = [10, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200].map((s) => s * 1000);

/** Clock times at a round step, about ten over the busy stretches, for the axis under the bars (UTC). */
export function ticks(busy: readonly Span[]): Array<{ at: number; label: string }> {
  const total = busy.reduce((n, b) => n + (b.end - b.start), 0);
  const step = TICK_STEPS_MS.find((s) => total / s <= 10) ?? TICK_STEPS_MS.at(-1)!;
  const label = (t: number) => new Date(t).toISOString().slice(11, step < 60_000 ? 19 : 16);
  return busy.flatMap((b) => {
    const out: Array<{ at: number; label: string }> = [];
    for (let t = Math.ceil(b.start / step) * step; t <= b.end; t += step) out.push({ at: t, label: label(t) });
    return out;
  });
}

/** The leap as an inline SVG: one row per step grouped by section, one bar per attempt, the window and the point. */
export function timelineSvg(input: TimelineInput): string {
  const end = (a: StepAttempt) => (a.endedAt === null ? input.now : Date.parse(a.endedAt));
  const spans = input.attempts.map((a) => ({ start: Date.parse(a.startedAt), end: end(a) }));
  const rows = input.sections.reduce((n, s) => n + SECTION + s.stepIds.length * ROW, 0);
  const height = AXIS + rows + 8;
  const axisY = height + 14;
  const plot = WIDTH - LABEL - 10;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${axisY + 4}" width="100%" role="img" aria-label="timeline of the leap">`,
  ];
  if (spans.length === 0) {
    out.push(`<text x="${LABEL}" y="20" class="muted">No step has started yet.</text></svg>`);
    return out.join('\n');
  }
  const { x: scale, gaps, busy } = timeScale(spans, plot);
  const x = (t: number) => (LABEL + scale(t)).toFixed(1);
  for (const tick of ticks(busy))
    out.push(
      `<line class="tick" x1="${x(tick.at)}" x2="${x(tick.at)}" y1="${AXIS}" y2="${height}"/>`,
      `<text class="axis" x="${x(tick.at)}" y="${axisY}" text-anchor="middle">${tick.label}</text>`,
    );
  for (const gap of gaps)
    out.push(`<line class="gap" x1="${LABEL + gap}" x2="${LABEL + gap}" y1="${AXIS - 6}" y2="${height}"/>`);
  const first = Math.min(...spans.map((s) => s.start));
  out.push(`<text x="${LABEL}" y="14" class="axis">${escapeHtml(new Date(first).toISOString())}</text>`);
  const rowOf = new Map<string, number>();
  let y = AXIS;
  for (const section of input.sections) {
    out.push(`<text x="4" y="${y + 14}" class="section">${escapeHtml(section.name)}</text>`);
    y += SECTION;
    for (const id of section.stepIds) {
      rowOf.set(id, y);
      out.push(`<text x="16" y="${y + 11}" class="step" data-step-label="${escapeHtml(id)}">${escapeHtml(id)}</text>`);
      y += ROW;
    }
  }
  if (input.downtime !== null) {
    const d = input.downtime;
    const from = Date.parse(d.startedAt);
    const to = d.endedAt === null ? input.now : Date.parse(d.endedAt);
    const label = d.durationMs === null ? 'API down (not back yet)' : `API down ${spoken(d.durationMs)}`;
    out.push(
      `<g id="downtime"><rect class="downtime" x="${x(from)}" y="${AXIS}" width="${(Number(x(to)) - Number(x(from))).toFixed(1)}" height="${rows}"><title>${escapeHtml(`${label}: ${d.from} to ${d.to}`)}</title></rect>`,
      `<text class="downtime-label" x="${x(from)}" y="${AXIS - 4}">${escapeHtml(label)}</text></g>`,
    );
  }
  for (const attempt of input.attempts) {
    const row = rowOf.get(attempt.step);
    if (row === undefined) continue;
    const from = Number(x(Date.parse(attempt.startedAt)));
    const width = Math.max(Number(x(end(attempt))) - from, 1.5);
    const took = spoken(end(attempt) - Date.parse(attempt.startedAt));
    out.push(
      `<rect class="attempt ${attempt.outcome}" data-step="${escapeHtml(attempt.step)}" x="${from.toFixed(1)}" y="${row + 2}" width="${width.toFixed(1)}" height="${ROW - 4}"><title>${escapeHtml(`${attempt.step}: ${attempt.outcome}, ${took}`)}</title></rect>`,
    );
  }
  const point = input.attempts.find((a) => a.step === input.pointOfNoReturn);
  if (point !== undefined) {
    const px = x(Date.parse(point.startedAt));
    out.push(
      `<g id="point-of-no-return"><line class="point" x1="${px}" x2="${px}" y1="${AXIS}" y2="${height}"/>`,
      `<text class="point-label" x="${px}" y="${height - 2}">point of no return</text></g>`,
    );
  }
  out.push('</svg>');
  return out.join('\n');
}
