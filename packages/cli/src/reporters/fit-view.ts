import { formatDuration } from './plain.js';
import type { StepStatus, ViewSection, ViewState } from './view-state.js';

export interface ScreenSize {
  rows: number;
  columns: number;
}

const MARK: Record<StepStatus, string> = {
  pending: '◻',
  running: '▶',
  done: '✔',
  skipped: '↓',
  failed: '✖',
  interrupted: '■',
};

/**
 * The run as lines that fit the screen: finished sections one line each, the section under way with its steps,
 * the running step and its live line, the point of no return and the downtime once passed, and what is left.
 * When the screen is short, the oldest finished lines fold into a count first; the running step never leaves it.
 */
export function fitView(state: ViewState, size: ScreenSize, now: number): string[] {
  const { finished, current, left } = splitSections(state);
  const sectionLines = finished.map((section) => finishedLine(state, section));
  const stepLines = current === undefined ? [] : currentLines(state, current, now);
  const markers = markerLines(state, now);
  const footer = leftLine(state, left, current);
  const budget = Math.max(3, size.rows - 1);
  const fixed = stepLines.length + markers.length + (footer ? 1 : 0);
  let shownSections = sectionLines;
  if (fixed + sectionLines.length > budget) {
    const room = Math.max(0, budget - fixed - 1);
    const folded = sectionLines.length - room;
    shownSections = [`✔ ${folded} sections done`, ...sectionLines.slice(folded)];
  }
  let lines = [...shownSections, ...markers, ...stepLines, ...(footer ? [footer] : [])];
  // Still too tall (a tiny screen): keep the running step's lines and the footer.
  if (lines.length > budget) lines = [...stepLines.slice(-(budget - (footer ? 1 : 0))), ...(footer ? [footer] : [])];
  return lines.map((line) => truncate(line, size.columns - 1));
}

function splitSections(state: ViewState): { finished: ViewSection[]; current?: ViewSection; left: ViewSection[] } {
  const settled = (id: string) => ['done', 'skipped'].includes(state.status.get(id) ?? 'pending');
  const finished: ViewSection[] = [];
  const left: ViewSection[] = [];
  let current: ViewSection | undefined;
  for (const section of state.sections) {
    if (current === undefined && section.stepIds.every(settled)) finished.push(section);
    else if (current === undefined && section.stepIds.some((id) => state.status.get(id) !== 'pending'))
      current = section;
    else left.push(section);
  }
  return current === undefined ? { finished, left } : { finished, current, left };
}

function finishedLine(state: ViewState, section: ViewSection): string {
  const ran = section.stepIds.filter((id) => state.status.get(id) === 'done');
  if (ran.length === 0) return `↓ ${section.name}  already done`;
  const ms = ran.reduce((sum, id) => sum + (state.durations.get(id) ?? 0), 0);
  const count = section.stepIds.length;
  return `✔ ${section.name}  ${count} ${count === 1 ? 'step' : 'steps'}  ${formatDuration(ms)}`;
}

function currentLines(state: ViewState, section: ViewSection, now: number): string[] {
  const lines = [`▸ ${section.name}`];
  for (const id of section.stepIds) {
    const status = state.status.get(id) ?? 'pending';
    if (status === 'pending') continue;
    if (status === 'running' && state.running?.id === id) {
      const { index, total, title, startedAt } = state.running;
      lines.push(`  ▶ [${index}/${total}] ${id}  ${formatDuration(now - startedAt)}  ${title}`);
      if (state.progress) lines.push(`      ${state.progress}`);
      continue;
    }
    const took = state.durations.get(id);
    lines.push(`  ${MARK[status]} ${id}${took === undefined ? '' : `  ${formatDuration(took)}`}`);
  }
  return lines;
}

function markerLines(state: ViewState, now: number): string[] {
  const lines: string[] = [];
  const point = state.pointOfNoReturn;
  if (point !== undefined && state.status.get(point) === 'done') {
    lines.push(`⚑ point of no return passed (${point}): the leap only goes forward now`);
  }
  if (state.servicesStoppedAt !== undefined) {
    lines.push(`⏱ API down since services/power-down: ${formatDuration(now - state.servicesStoppedAt)}`);
  }
  return lines;
}

function leftLine(state: ViewState, left: readonly ViewSection[], current: ViewSection | undefined): string {
  const pendingHere = current?.stepIds.filter((id) => state.status.get(id) === 'pending').length ?? 0;
  const steps = pendingHere + left.reduce((sum, s) => sum + s.stepIds.length, 0);
  if (steps === 0) return '';
  const sections = left.length + (pendingHere > 0 ? 1 : 0);
  return `◻ ${steps} ${steps === 1 ? 'step' : 'steps'} left${left.length > 0 ? ` in ${sections} sections` : ''}`;
}

function truncate(line: string, width: number): string {
  const chars = [...line];
  return chars.length <= width ? line : `${chars.slice(0, Math.max(1, width - 1)).join('')}…`;
}
