import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from '@leap/test-fixtures';
import { describe, expect, it } from 'vitest';
import { checkServiceVenv, readProcessLists, type ProcessLists } from '../src/index.js';

const fixture = fileURLToPath(new URL('./fixtures/openstack/pgrep-nova-after-leap.json', import.meta.url));
const VENV = '/openstack/venvs/nova-r14.1.0/bin';

describe('checkServiceVenv', () => {
  it('names each nova process not run from the Newton venv, with its pid and host; nova-agent and non-nova lines are not nova', async () => {
    const lists = await readProcessLists(fixture);
    const finding = checkServiceVenv('nova', lists, VENV);
    expect(finding).toEqual({
      check: 'nova processes from the venv',
      ok: false,
      looked: `6 nova processes on 5 hosts, against ${VENV}/`,
      problems: [
        `nova-compute (pid 2901) on compute2 runs /usr/bin/python /usr/local/bin/nova-compute, not from ${VENV}/`,
      ],
    });
  });

  it('is ok when every nova process is in the venv, and takes a trailing slash on the venv bin', () => {
    const lists = JSON.parse(readFileSync(fixture, 'utf8')) as ProcessLists;
    delete lists['compute2'];
    expect(checkServiceVenv('nova', lists, `${VENV}/`)).toMatchObject({ ok: true, problems: [] });
    // Another release's venv is not the Newton one.
    const mitaka = {
      compute1: [`12 /openstack/venvs/nova-13.3.11/bin/python /openstack/venvs/nova-13.3.11/bin/nova-compute`],
    };
    expect(checkServiceVenv('nova', mitaka, VENV).problems).toEqual([
      `nova-compute (pid 12) on compute1 runs /openstack/venvs/nova-13.3.11/bin/python /openstack/venvs/nova-13.3.11/bin/nova-compute, not from ${VENV}/`,
    ]);
  });

  it('refuses a process file that is missing or not lists of lines, naming it', async () => {
    const dir = tempDir();
    await expect(readProcessLists(join(dir, 'none.json'))).rejects.toMatchObject({
      code: 'LEAP_PROCESSES_UNREADABLE',
      file: join(dir, 'none.json'),
    });
    writeFileSync(join(dir, 'bad.json'), '{"compute1": "1 nova-compute"}');
    await expect(readProcessLists(join(dir, 'bad.json'))).rejects.toMatchObject({
      code: 'LEAP_PROCESSES_UNREADABLE',
      message: expect.stringContaining('not a JSON object of process lists'),
    });
  });
});
