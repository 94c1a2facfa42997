import { describe, expect, it } from 'vitest';
import { ProgressParser, type ProgressEvent } from '../src/index.js';

describe('ProgressParser', () => {
  it('reads a failure whose result spans several lines, in chunks split anywhere', () => {
    const events: ProgressEvent[] = [];
    const parser = new ProgressParser('x', (event) => events.push(event));
    const output = [
      'TASK [check] ***',
      'fatal: [galera1 -> localhost]: FAILED! => {',
      '    "assertion": "x",',
      '    "msg": "no backup"',
      '}',
      'TASK [other] ***',
      'ok: [galera1] => {',
      '    "msg": "fatal: [nobody]: FAILED! => {}"',
      '}',
      '',
    ].join('\n');
    for (let at = 0; at < output.length; at += 7) parser.push(output.slice(at, at + 7));
    parser.end();
    expect(parser.failures).toEqual([
      expect.objectContaining({ host: 'galera1', task: 'check', message: 'no backup', unreachable: false }),
    ]);
    expect(parser.failures[0]?.line).toContain('"assertion": "x"');
    expect(
      events
        .filter((event) => event.kind === 'host')
        .map((event) => event.kind === 'host' && [event.host, event.status]),
    ).toEqual([
      ['galera1', 'failed'],
      ['galera1', 'ok'],
    ]);
  });

  it("takes a loop failure's message from its JSON result, not from the item's repr before it", () => {
    const parser = new ProgressParser('x', undefined);
    parser.line('TASK [check] ***');
    parser.line(
      `failed: [infra1] (item={'content': 'bGVhcA==', 'item': {'name': 'liberty'}}) => {"failed": true, "item": {}, "msg": "/opt/v does not hold the liberty venv"}`,
    );
    expect(parser.failures).toEqual([
      expect.objectContaining({ host: 'infra1', task: 'check', message: '/opt/v does not hold the liberty venv' }),
    ]);
  });

  it('forgets a failure that Ansible ignored', () => {
    const parser = new ProgressParser('x', undefined);
    for (const line of ['TASK [t] ***', 'fatal: [a]: FAILED! => {"msg": "rate limit"}', '...ignoring'])
      parser.line(line);
    expect(parser.failures).toEqual([]);
  });
});
