import { describe, expect, it } from 'vitest';
import { reportMarkdown } from '../src/report/markdown.js';
import type { LeapReport } from '../src/report/collect.js';

describe('leap report', () => {
  it('says how each backup was verified', () => {
    const report: LeapReport = {
      source: 'r11.1.18',
      target: 'r14.1.0',
      startedAt: null,
      steps: [],
      schemaVersions: [],
      purged: null,
      filesChanged: [],
      neutronKept: [],
      warnings: [],
      backups: [
        {
          dir: '/b/1',
          verified: true,
          verification: 'throwaway-server',
          databases: [{ name: 'nova', sha256: 'ab', bytes: 10 }],
        },
        { dir: '/b/2', verified: true, verification: 'checksums-and-parse', databases: [] },
      ],
    };
    const text = reportMarkdown(report);
    expect(text).toContain('/b/1 (verified: throwaway-server)');
    expect(text).toContain('/b/2 (verified: checksums-and-parse)');
  });
});
