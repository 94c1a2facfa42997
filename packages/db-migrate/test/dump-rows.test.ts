import { describe, expect, it } from 'vitest';
import { DumpRowCounter } from '../src/index.js';

function count(text: string, chunk: number): Map<string, number> {
  const counter = new DumpRowCounter();
  counter.resume();
  const bytes = Buffer.from(text);
  for (let i = 0; i < bytes.length; i += chunk) counter.write(bytes.subarray(i, i + chunk));
  counter.end();
  return counter.counts;
}

describe('DumpRowCounter', () => {
  const dump = [
    '-- INSERT INTO `fake` VALUES (1);',
    'CREATE TABLE `t` (`id` int, `s` text);',
    'INSERT INTO `t` VALUES',
    "(1,'a;\\'),(x'),",
    "(2,'b(\\\\'),",
    "(5,'\\\\\\');(\\\\\\\\'),",
    '(3,0x28293B);',
    'INSERT INTO `u` VALUES (1,NULL),(2,NULL);',
    "INSERT INTO `t` VALUES (4,'');",
    '',
  ].join('\n');

  it('counts the rows of each table whatever the chunk boundaries, ignoring quotes, escapes and comments', () => {
    for (const size of [1, 2, 3, 7, 64, 4096]) {
      expect(Object.fromEntries(count(dump, size)), `chunks of ${size}`).toEqual({ t: 5, u: 2 });
    }
  });
});
