import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '@leap/test-fixtures';
import { MarkerStore, MarkersError, type MarkerRecord } from '../src/index.js';

function record(step: string, extra: Partial<MarkerRecord> = {}): MarkerRecord {
  return {
    format: 'leap-marker/1',
    step,
    title: `Title of ${step}`,
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:01.000Z',
    durationMs: 1000,
    toolVersion: '1.2.3',
    inputsDigest: null,
    result: 'ok',
    runId: 'r1',
    host: 'deploy1',
    user: 'root',
    ...extra,
  };
}

async function corruptError(store: MarkerStore, id: string, legacyMarkers?: string[]): Promise<MarkersError> {
  try {
    await store.read({ id, ...(legacyMarkers === undefined ? {} : { legacyMarkers }) });
  } catch (error) {
    return error as MarkersError;
  }
  throw new Error('expected the read to fail');
}

describe('MarkerStore', () => {
  it('reports absent markers, even when the folder does not exist yet', async () => {
    const store = new MarkerStore(join(tempDir(), 'missing'));
    expect(await store.read({ id: 'kilo/backup' })).toEqual({ status: 'absent', file: store.fileOf('kilo/backup') });
  });

  it('writes a JSON record and reads it back, leaving no temp file', async () => {
    const dir = tempDir();
    const store = new MarkerStore(dir);
    const file = await store.write(record('newton/migrate/nova'));
    expect(file).toBe(join(dir, 'newton+migrate+nova.complete'));
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({
      format: 'leap-marker/1',
      step: 'newton/migrate/nova',
      toolVersion: '1.2.3',
    });
    expect(await store.read({ id: 'newton/migrate/nova' })).toMatchObject({
      status: 'complete',
      kind: 'leap',
      record: { result: 'ok' },
    });
    expect(readdirSync(dir)).toEqual(['newton+migrate+nova.complete']);
  });

  it('reads an empty marker file, as the upstream bash tooling leaves, as complete (legacy)', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'rpc-preflight-check.complete'), '');
    const store = new MarkerStore(dir);
    expect(await store.read({ id: 'rpc-preflight-check' })).toEqual({
      status: 'complete',
      kind: 'legacy',
      file: join(dir, 'rpc-preflight-check.complete'),
    });
  });

  it('honours declared upstream marker names, with or without .complete, and a trailing * as a prefix', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'osa-leap.complete'), '');
    writeFileSync(
      join(
        dir,
        'db-migrations-newton.yml-e--venv_tar_location--opt-leap42-venvs-openstack-ansible-newton-eol-tgz-.complete',
      ),
      '',
    );
    const store = new MarkerStore(dir);
    const states = await store.readMany([
      { id: 'leap/osa-pipeline', legacyMarkers: ['osa-leap'] },
      { id: 'newton/migrate/all', legacyMarkers: ['db-migrations-newton.yml*'] },
      { id: 'mitaka/migrate/all', legacyMarkers: ['db-migrations-mitaka.yml*'] },
      { id: 'preflight', legacyMarkers: ['rpc-preflight-check.complete'] },
    ]);
    expect(states.get('leap/osa-pipeline')).toMatchObject({
      status: 'complete',
      kind: 'legacy',
      file: join(dir, 'osa-leap.complete'),
    });
    expect(states.get('newton/migrate/all')).toMatchObject({ status: 'complete', kind: 'legacy' });
    expect(states.get('mitaka/migrate/all')?.status).toBe('absent');
    expect(states.get('preflight')?.status).toBe('absent');
  });

  it("prefers leap's own marker over a legacy one", async () => {
    const dir = tempDir();
    const store = new MarkerStore(dir);
    writeFileSync(join(dir, 'osa-leap.complete'), '');
    await store.write(record('leap/osa-pipeline'));
    expect(await store.read({ id: 'leap/osa-pipeline', legacyMarkers: ['osa-leap'] })).toMatchObject({ kind: 'leap' });
  });

  it.each([
    ['a half-written JSON record', '{"format":"leap-marker/1","step":"kil', /neither empty nor valid JSON/],
    ['text that is not JSON', 'done\n', /neither empty nor valid JSON/],
    ['JSON of another format', '{"format":"something-else"}', /format is "something-else"/],
    ['a record missing fields', '{"format":"leap-marker/1","step":"kilo/backup"}', /field "title" is missing/],
    [
      'a record of another step',
      JSON.stringify(record('kilo/other')),
      /records step "kilo\/other", not "kilo\/backup"/,
    ],
  ])('stops on %s with an error naming the file and how to resolve it', async (_what, content, reason) => {
    const dir = tempDir();
    const store = new MarkerStore(dir);
    writeFileSync(store.fileOf('kilo/backup'), content);
    const error = await corruptError(store, 'kilo/backup');
    expect(error).toBeInstanceOf(MarkersError);
    expect(error.code).toBe('LEAP_MARKER_CORRUPT');
    expect(error.file).toBe(store.fileOf('kilo/backup'));
    expect(error.message).toContain(store.fileOf('kilo/backup'));
    expect(error.message).toMatch(reason);
    expect(error.hint).toContain(`rm '${store.fileOf('kilo/backup')}'`);
    expect(error.hint).toContain(`: > '${store.fileOf('kilo/backup')}'`);
  });

  it('treats a non-empty, non-JSON legacy marker as corrupt too', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'osa-leap.complete'), 'garbage');
    const error = await corruptError(new MarkerStore(dir), 'leap/osa-pipeline', ['osa-leap']);
    expect(error.code).toBe('LEAP_MARKER_CORRUPT');
    expect(error.file).toBe(join(dir, 'osa-leap.complete'));
  });

  it('sweeps temp files left by a killed writer and ignores them when reading', async () => {
    const dir = tempDir();
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, '.leap-tmp-kilo+backup.complete.123.abcd'), '{"format":"leap-');
    const store = new MarkerStore(dir);
    expect((await store.read({ id: 'kilo/backup' })).status).toBe('absent');
    expect(await store.sweepTempFiles()).toBe(1);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('forgets a step on remove, so it runs again', async () => {
    const store = new MarkerStore(tempDir());
    await store.write(record('kilo/backup'));
    await store.remove('kilo/backup');
    expect((await store.read({ id: 'kilo/backup' })).status).toBe('absent');
  });
});
