import { describe, expect, it } from 'vitest';
import { reportMarkdown } from '../src/report/markdown.js';
import type { LeapReport } from '../src/report/collect.js';

/** A report with nothing in it yet; each test fills in what it is about. */
const EMPTY: LeapReport = {
  source: 'r11.1.18',
  target: 'r14.1.0',
  startedAt: null,
  steps: [],
  schemaVersions: [],
  purged: null,
  filesChanged: [],
  neutronKept: [],
  containers: { destroyed: null, destroyedOn: [], kept: [] },
  cleanup: [],
  health: null,
  warnings: [],
  backups: [],
  layout: null,
  attempts: [],
  downtime: null,
  reviews: [],
};

describe('leap report', () => {
  it('says how each backup was verified', () => {
    const report: LeapReport = {
      ...EMPTY,
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

  it("says what each change was: the key, or for a whole file the step's words for it, never an empty key", () => {
    const text = reportMarkdown({
      ...EMPTY,
      filesChanged: [
        { file: '/d/env.d/gnocchi.yml', action: 'created', key: null, detail: 'newton env.d skeleton' },
        { file: '/d/openstack_inventory.json', action: 'updated', key: null, detail: null },
        { file: '/d/user_variables.yml', action: 'updated', key: 'neutron_legacy_ha_tool_enabled', detail: null },
      ],
    });
    expect(text).toContain('- created /d/env.d/gnocchi.yml (newton env.d skeleton)\n');
    expect(text).toContain('- updated /d/openstack_inventory.json\n');
    expect(text).toContain('- updated neutron_legacy_ha_tool_enabled in /d/user_variables.yml\n');
    expect(text).not.toMatch(/- \w+ {2}in /);
  });
});
