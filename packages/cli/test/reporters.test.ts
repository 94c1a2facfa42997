import { describe, expect, it } from 'vitest';
import { jsonReporter } from '../src/reporters/json.js';
import { plainReporter } from '../src/reporters/plain.js';
import { EventEmitter } from 'node:events';
import { liveViewReporter } from '../src/reporters/live-view.js';

function sink() {
  const out: string[] = [];
  return { io: { stdout: (t: string) => void out.push(t), stderr: (t: string) => void out.push(t) }, out };
}

const steps = [
  { id: 'a/one', title: 'one' },
  { id: 'a/two', title: 'two' },
  { id: 'a/three', title: 'three' },
];

describe('reporters', () => {
  it('plain: one line per step event', async () => {
    const { io, out } = sink();
    const r = plainReporter(io);
    r.event({ type: 'step-skip', id: 'a/one', title: 'one', reason: 'already done' });
    r.event({ type: 'step-start', id: 'a/two', title: 'two', index: 2, total: 3 });
    r.event({ type: 'step-done', id: 'a/two', title: 'two', durationMs: 1500 });
    await r.close();
    expect(out.join('')).toMatch(/a\/one: already done[\s\S]*\[2\/3\] a\/two: two[\s\S]*a\/two \(1\.5s\)/);
  });

  it('json: one parseable object per line', async () => {
    const { io, out } = sink();
    const r = jsonReporter(io, () => new Date(0));
    r.event({ type: 'step-done', id: 'a/one', title: 'one', durationMs: 3 });
    expect(JSON.parse(out.join(''))).toEqual({
      time: '1970-01-01T00:00:00.000Z',
      type: 'step-done',
      id: 'a/one',
      title: 'one',
      durationMs: 3,
    });
  });

  it('live view: follows skipped, completed and failed steps and closes leaving the last view on screen', async () => {
    const screen = Object.assign(new EventEmitter(), { rows: 24, columns: 80, out: '' });
    const writer = Object.assign(screen, { write: (t: string) => (screen.out += t) });
    const r = liveViewReporter(writer, {
      sections: [{ name: 'a', stepIds: steps.map((s) => s.id) }],
      pointOfNoReturn: undefined,
    });
    r.event({ type: 'step-skip', id: 'a/one', title: 'one', reason: 'already done' });
    r.event({ type: 'step-start', id: 'a/two', title: 'two', index: 2, total: 3 });
    r.event({ type: 'progress', id: 'a/two', message: 'halfway' });
    r.event({ type: 'step-fail', id: 'a/two', title: 'two', message: 'boom' });
    await expect(r.close()).resolves.toBeUndefined();
    const last = screen.out.slice(screen.out.lastIndexOf('▸ a'));
    expect(last).toContain('↓ a/one');
    expect(last).toContain('✖ a/two');
    expect(last).toContain('◻ 1 step left');
  });
});
