import { readFileSync } from 'node:fs';
import { readdir, rm, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic, fsyncFolder, TEMP_PREFIX } from '@leap/contract';
import { MarkersError } from './errors.js';
import { parseMarker, type MarkerRecord } from './marker-record.js';
import { assertStepId, legacyMarkerStem, markerFileName, MARKER_SUFFIX } from './step-id.js';

/** Where upstream tooling and leap keep their markers on a deploy host. */
export const DEFAULT_MARKER_DIR = '/etc/openstack_deploy/upgrade-leap';

/** What the store needs to know about a step to find its marker. */
export interface MarkerLookup {
  id: string;
  /** Upstream marker names that mean this step is done (`osa-leap`, `db-migrations-newton.yml*`). */
  legacyMarkers?: readonly string[];
}

export type MarkerState =
  | { status: 'absent'; file: string }
  /** Written by leap: the full record. */
  | { status: 'complete'; kind: 'leap'; file: string; record: MarkerRecord }
  /** An empty file, as the upstream bash tooling leaves: complete, but nothing else is known. */
  | { status: 'complete'; kind: 'legacy'; file: string };

/** One folder of `<step>.complete` files. Reading is cheap: one readdir, then only the files that exist. */
export class MarkerStore {
  readonly dir: string;

  constructor(dir: string = DEFAULT_MARKER_DIR) {
    this.dir = dir;
  }

  /** The path of the marker leap writes for a step. */
  fileOf(stepId: string): string {
    return join(this.dir, markerFileName(stepId));
  }

  async ensureDir(): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o755 });
  }

  async read(step: MarkerLookup): Promise<MarkerState> {
    const states = await this.readMany([step]);
    return states.get(step.id) as MarkerState;
  }

  /**
   * The marker state of every step. A marker that is neither empty nor a valid leap record throws
   * LEAP_MARKER_CORRUPT naming the file: it is never taken for "done" or "not done".
   */
  async readMany(steps: readonly MarkerLookup[]): Promise<Map<string, MarkerState>> {
    const names = await this.listNames();
    const found = steps.map((step) => ({ step, name: findMarkerName(step, names) }));
    // Synchronous reads: a few hundred small files read in one go cost far less than as many thread-pool round trips.
    const states = found.map(({ step, name }): MarkerState => {
      if (name === undefined) return { status: 'absent', file: this.fileOf(step.id) };
      const file = join(this.dir, name);
      const own = name === markerFileName(step.id);
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (error) {
        // Removed between readdir and read: another process is at work, which the run lock prevents; say so.
        throw new MarkersError(
          'LEAP_MARKER_UNREADABLE',
          `marker ${file} of step "${step.id}" cannot be read: ${(error as Error).message}`,
          {
            file,
            step: step.id,
            cause: error,
            hint: 'check the permissions of the marker folder and that no other leap is running, then retry',
          },
        );
      }
      const parsed = parseMarker(text, file, step.id, own ? step.id : undefined);
      return parsed.kind === 'legacy'
        ? { status: 'complete', kind: 'legacy', file }
        : { status: 'complete', kind: 'leap', file, record: parsed.record };
    });
    return new Map(steps.map((step, i) => [step.id, states[i] as MarkerState]));
  }

  /** Records a step as complete; atomic, so a crash leaves either no marker or the whole record. */
  async write(record: MarkerRecord): Promise<string> {
    const file = this.fileOf(record.step);
    await this.ensureDir();
    await writeFileAtomic(file, `${JSON.stringify(record, null, 2)}\n`);
    return file;
  }

  /** Forgets that a step completed, so the next run runs it again. */
  async remove(stepId: string): Promise<void> {
    assertStepId(stepId);
    await rm(this.fileOf(stepId), { force: true });
    await fsyncFolder(this.dir).catch(() => undefined);
  }

  /**
   * Removes temp files left by writers killed mid-write. Call it only while holding the run lock, when no
   * other writer can be at work.
   */
  async sweepTempFiles(): Promise<number> {
    const temps = [...(await this.listNames())].filter((n) => n.startsWith(TEMP_PREFIX));
    await Promise.all(temps.map((n) => rm(join(this.dir, n), { force: true })));
    return temps.length;
  }

  private async listNames(): Promise<Set<string>> {
    try {
      return new Set(await readdir(this.dir));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Set();
      throw new MarkersError(
        'LEAP_MARKER_DIR_UNREADABLE',
        `marker folder ${this.dir} cannot be listed: ${(error as Error).message}`,
        {
          file: this.dir,
          cause: error,
          hint: 'run leap as the user that owns the marker folder (usually root), or fix its permissions',
        },
      );
    }
  }
}

/** leap's own file first; then the declared upstream names, in the order the step declares them. */
function findMarkerName(step: MarkerLookup, names: ReadonlySet<string>): string | undefined {
  const own = markerFileName(step.id);
  if (names.has(own)) return own;
  for (const legacy of step.legacyMarkers ?? []) {
    const stem = legacyMarkerStem(legacy);
    if (!stem.endsWith('*')) {
      if (names.has(stem + MARKER_SUFFIX)) return stem + MARKER_SUFFIX;
      continue;
    }
    const prefix = stem.slice(0, -1);
    const match = [...names].filter((n) => n.startsWith(prefix) && n.endsWith(MARKER_SUFFIX)).sort()[0];
    if (match !== undefined) return match;
  }
  return undefined;
}
