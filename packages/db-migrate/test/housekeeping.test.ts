import { describe, expect, it } from 'vitest';
import { countPurgeable, housekeepingGate, purge, withDb, type Db, type ProgressEvent } from '../src/index.js';
import { serverPerFile } from './helpers.js';

const lab = serverPerFile();

const tables = {
  'keystone.token': 'id',
  'nova.instances': 'id',
  'nova.instance_faults': 'id',
  'nova.instance_system_metadata': 'id',
  'nova.shadow_instances': 'id',
  'nova.shadow_instance_faults': 'id',
  'nova.shadow_instance_system_metadata': 'id',
  'cinder.volumes': 'id',
  'cinder.volume_metadata': 'id',
  'cinder.services': 'id',
  'glance.images': 'id',
  'glance.image_properties': 'id',
  'glance.image_locations': 'id',
  'heat.stack': 'id',
  'heat.event': 'id',
} as const;

async function snapshot(db: Db): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const [table, key] of Object.entries(tables)) {
    const rows = await db.query<Record<string, unknown>[]>(`SELECT * FROM ${table} ORDER BY ${key}`);
    out[table] = rows.map((r) => JSON.stringify(r));
  }
  return out;
}

/** What the seed makes eligible with a 30-day cutoff (see test/fixtures/kilo-seed.ts). */
const expectedEligible: Record<string, number> = {
  'keystone.token': 2000,
  'nova.instance_faults': 300,
  'nova.instance_system_metadata': 400,
  // instances 301-400 are old and deleted but still have live faults: they stay.
  'nova.instances': 300,
  'cinder.volume_metadata': 140,
  'cinder.volumes': 140,
  'cinder.services': 0,
  'glance.image_properties': 50,
  'glance.image_locations': 0,
  'glance.images': 50,
  'heat.event': 200,
  'heat.stack': 20,
};

describe('housekeeping', () => {
  it('counts eligible rows per table without touching anything (dry run)', async () => {
    const { conn } = await lab.fresh();
    const before = await withDb(conn, snapshot);
    const counts = await countPurgeable({ db: conn });
    expect(Object.fromEntries(counts.map((c) => [`${c.database}.${c.table}`, c.eligible]))).toEqual(expectedEligible);
    expect(counts.find((c) => c.table === 'instances')?.action).toBe('archive');
    expect(await withDb(conn, snapshot)).toEqual(before);
  });

  it('purges exactly the eligible rows, moves nova rows to the shadow tables and leaves every other row unchanged', async () => {
    const { conn } = await lab.fresh();
    const before = await withDb(conn, snapshot);
    const events: ProgressEvent[] = [];
    const result = await purge({ db: conn, initialChunk: 64, onProgress: (e) => events.push(e) });
    expect(Object.fromEntries(result.tables.map((t) => [`${t.database}.${t.table}`, t.purged]))).toEqual(
      expectedEligible,
    );
    expect(result.purged).toBe(Object.values(expectedEligible).reduce((a, b) => a + b, 0));
    expect(result.tables.find((t) => t.table === 'token')?.chunks).toBeGreaterThan(1);
    expect(events.some((e) => e.kind === 'purge' && e.table === 'keystone.token' && e.rows === 2000)).toBe(true);

    const after = await withDb(conn, snapshot);
    const gone = (table: string) => (before[table] ?? []).filter((r) => !(after[table] ?? []).includes(r));
    // Every row left is unchanged, and the rows gone are the eligible ones.
    for (const table of Object.keys(expectedEligible)) {
      expect(
        after[table]?.every((r) => before[table]?.includes(r)),
        table,
      ).toBe(true);
      expect(gone(table).length, table).toBe(expectedEligible[table]);
    }
    const ids = (rows: string[]) => rows.map((r) => (JSON.parse(r) as { id: string | number }).id);
    expect(ids(gone('keystone.token')).every((id) => Number(String(id).slice(3)) % 3 !== 0)).toBe(true);
    expect(ids(gone('nova.instances'))).toEqual(Array.from({ length: 300 }, (_, i) => String(i + 1)).map(Number));
    // Archived, not lost: the shadow tables hold exactly the rows that left.
    expect(after['nova.shadow_instances']).toEqual(gone('nova.instances'));
    expect(after['nova.shadow_instance_faults']).toEqual(gone('nova.instance_faults'));
    expect(after['nova.shadow_instance_system_metadata']).toEqual(gone('nova.instance_system_metadata'));

    const again = await countPurgeable({ db: conn });
    expect(again.reduce((n, c) => n + c.eligible, 0)).toBe(0);
  });

  it('gates the migrations while more purgeable rows remain than allowed, unless overridden', async () => {
    const { conn } = await lab.fresh();
    const counts = await countPurgeable({ db: conn });
    expect(() => housekeepingGate(counts, 1000)).toThrow(
      expect.objectContaining({
        code: 'LEAP_HOUSEKEEPING_GATE',
        message: expect.stringContaining('keystone.token 2000') as unknown,
      }) as Error,
    );
    expect(() => housekeepingGate(counts, 1000, true)).not.toThrow();
    expect(() => housekeepingGate(counts, 10_000)).not.toThrow();
  });

  it('stops between chunks when aborted and resumes on the next run', async () => {
    const { conn } = await lab.fresh();
    const controller = new AbortController();
    const first = purge({
      db: conn,
      services: ['keystone'],
      initialChunk: 50,
      maxChunk: 50,
      signal: controller.signal,
      onProgress: (e) => {
        if (e.kind === 'purge' && e.rows >= 500) controller.abort();
      },
    });
    await expect(first).rejects.toMatchObject({ code: 'LEAP_DB_ABORTED' });
    const left = (await countPurgeable({ db: conn, services: ['keystone'] }))[0]?.eligible;
    expect(left).toBe(1500);
    const second = await purge({ db: conn, services: ['keystone'] });
    expect(second.purged).toBe(1500);
  });
});
