import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { localExec, type BatchCommand } from '@leap/contract';
import { tempDir } from '@leap/test-fixtures';
import {
  assertVenvCommands,
  probeReleasesVenvCommands,
  probeVenvCommands,
  venvCommands,
  venvGroups,
} from '../src/venvs/probe-commands.js';

/** A tiny command that answers `--help` (and fails on anything else, so the probe's argument is checked too). */
const ANSWERS_HELP = '#!/bin/sh\n[ "$1" = --help ] || exit 9\nexit 0\n';

function script(bin: string, name: string, content: string, mode = 0o755): void {
  writeFileSync(join(bin, name), content, { mode });
}

describe('venvCommands', () => {
  it.each(['liberty', 'mitaka', 'newton'] as const)('lists each group and command of %s once', (release) => {
    const commands = venvCommands(release);
    const keys = commands.map((c) => `${c.group} ${c.command}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(commands).toEqual(
      expect.arrayContaining([
        { group: 'keystone_all', command: 'keystone-manage' },
        { group: 'nova_conductor', command: 'nova-manage' },
        { group: 'neutron_server', command: 'neutron-db-manage' },
      ]),
    );
    expect(venvGroups(release)).toEqual([...new Set(commands.map((c) => c.group))]);
  });

  it('lists the commands of liberty in the order the migrations run them', () => {
    expect(venvCommands('liberty')).toEqual([
      { group: 'keystone_all', command: 'keystone-manage' },
      { group: 'glance_all', command: 'glance-manage' },
      { group: 'cinder_all', command: 'cinder-manage' },
      { group: 'nova_conductor', command: 'nova-manage' },
      { group: 'neutron_server', command: 'neutron-db-manage' },
      { group: 'heat_all', command: 'heat-manage' },
    ]);
  });
});

describe('probeVenvCommands', () => {
  it('reports each command missing, not executable or failing, and assertVenvCommands names them', async () => {
    const bin = tempDir();
    script(bin, 'keystone-manage', ANSWERS_HELP);
    script(bin, 'glance-manage', ANSWERS_HELP);
    // cinder-manage is missing.
    script(bin, 'nova-manage', ANSWERS_HELP, 0o644);
    script(bin, 'neutron-db-manage', '#!/bin/sh\necho "ImportError: No module named neutron" >&2\nexit 3\n');
    script(bin, 'heat-manage', ANSWERS_HELP);
    const asked: string[] = [];

    const results = await probeVenvCommands({
      release: 'liberty',
      venvBin: bin,
      runnerFor: (group) => {
        asked.push(group);
        return localExec;
      },
    });

    expect(asked).toEqual(venvCommands('liberty').map((c) => c.group));
    const byCommand = Object.fromEntries(results.map((r) => [r.command, r]));
    expect(byCommand['keystone-manage']).toEqual({
      release: 'liberty',
      group: 'keystone_all',
      command: 'keystone-manage',
      path: join(bin, 'keystone-manage'),
      ok: true,
    });
    expect(byCommand['glance-manage']).toMatchObject({ ok: true });
    expect(byCommand['heat-manage']).toMatchObject({ ok: true });
    expect(byCommand['cinder-manage']).toMatchObject({
      group: 'cinder_all',
      path: join(bin, 'cinder-manage'),
      ok: false,
      problem: expect.stringMatching(/^missing, or its interpreter is/),
    });
    expect(byCommand['nova-manage']).toMatchObject({ group: 'nova_conductor', ok: false, problem: 'not executable' });
    const neutron = byCommand['neutron-db-manage'];
    expect(neutron).toMatchObject({ group: 'neutron_server', ok: false });
    expect(neutron?.problem).toContain('exited with 3');
    expect(neutron?.problem).toContain('ImportError: No module named neutron');

    const error = (() => {
      try {
        assertVenvCommands('liberty', results);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toMatchObject({ name: 'DbMigrateError', code: 'LEAP_VENV_COMMAND_MISSING', host: 'cinder_all' });
    const message = (error as Error).message;
    expect(message).toContain('liberty');
    for (const [command, group] of [
      ['cinder-manage', 'cinder_all'],
      ['nova-manage', 'nova_conductor'],
      ['neutron-db-manage', 'neutron_server'],
    ]) {
      expect(message).toContain(`${join(bin, command!)} on the first host of ${group}`);
    }
    expect(message).not.toContain('keystone-manage');
    expect(message).not.toContain('heat-manage');
  });

  it('passes when every command answers --help', async () => {
    const bin = tempDir();
    for (const { command } of venvCommands('newton')) script(bin, command, ANSWERS_HELP);
    const results = await probeVenvCommands({ release: 'newton', venvBin: bin, runnerFor: async () => localExec });
    expect(results).toHaveLength(venvCommands('newton').length);
    for (const result of results) {
      expect(result).toEqual({
        release: 'newton',
        group: result.group,
        command: result.command,
        path: join(bin, result.command),
        ok: true,
      });
    }
    expect(() => assertVenvCommands('newton', results)).not.toThrow();
  });

  it('probes several releases with one batch per group, each result naming its release', async () => {
    const bins = { mitaka: tempDir(), newton: tempDir() };
    for (const { command } of venvCommands('mitaka')) script(bins.mitaka, command, ANSWERS_HELP);
    for (const { command } of venvCommands('newton')) script(bins.newton, command, ANSWERS_HELP);
    rmSync(join(bins.newton, 'heat-manage'));
    const batches: string[][] = [];
    const runner = Object.assign(localExec.bind(null), {
      batch: async (commands: readonly BatchCommand[]) => {
        batches.push(commands.map((c) => c.argv[0] as string));
        return Promise.all(commands.map((c) => localExec(c.argv, c.options)));
      },
    });
    const results = await probeReleasesVenvCommands({
      releases: [
        { release: 'mitaka', venvBin: bins.mitaka },
        { release: 'newton', venvBin: bins.newton },
      ],
      runnerFor: () => runner,
    });
    expect(results.map((r) => `${r.release} ${r.command}`)).toEqual([
      ...venvCommands('mitaka').map((c) => `mitaka ${c.command}`),
      ...venvCommands('newton').map((c) => `newton ${c.command}`),
    ]);
    const groups = new Set([...venvGroups('mitaka'), ...venvGroups('newton')]);
    expect(batches).toHaveLength(groups.size);
    expect(batches.find((b) => b.some((path) => path.endsWith('/heat-manage')))).toEqual([
      join(bins.mitaka, 'heat-manage'),
      join(bins.newton, 'heat-manage'),
    ]);
    expect(results.filter((r) => !r.ok).map((r) => `${r.release} ${r.command}`)).toEqual(['newton heat-manage']);
  });
});
