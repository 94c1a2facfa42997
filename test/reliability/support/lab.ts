import { join } from 'node:path';
import { leap, readLabJson, labSql, type LabJson } from '@leap/test-fixtures';

export type Lab = LabJson & { paths: LabJson['paths'] & { backupDir: string } };

/** The confirmations of a non-interactive leap of a Kilo lab, with line output. */
export const RUN_FLAGS = ['run', '--confirm-source', 'kilo', '--confirm-redeploy', '--plain'] as const;

export async function createLab(dir: string): Promise<Lab> {
  const created = await leap(['lab', 'create', dir, '--single-db']);
  if (created.exitCode !== 0) throw new Error(`leap lab create ${dir} failed:\n${created.all}`);
  return readLabJson(dir) as Lab;
}

export async function destroyLab(lab: Lab | undefined): Promise<void> {
  if (lab !== undefined) await leap(['lab', 'destroy', lab.dir]);
}

export function markerDirOf(lab: Lab): string {
  return join(lab.paths.deployDir, 'upgrade-leap');
}

/** The command an operator runs on this lab: `leap --config <lab>/leap.yaml run ...`. */
export function runArgs(lab: Lab, ...extra: string[]): string[] {
  return ['--config', lab.paths.leapYaml, ...RUN_FLAGS, ...extra];
}

/** The ids of the lab leap's steps, in plan order (`leap plan --json`). */
export async function planStepIds(lab: Lab): Promise<string[]> {
  const result = await leap(['--config', lab.paths.leapYaml, '--json', 'plan']);
  const plan = JSON.parse(result.stdout) as { sections: Array<{ steps: Array<{ id: string }> }> };
  return plan.sections.flatMap((section) => section.steps.map((step) => step.id));
}

/** How many databases the lab's server holds besides its own (each is dumped by db/backup). */
export async function databaseCount(lab: Lab): Promise<number> {
  return Number(
    await labSql(
      lab,
      "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME NOT IN ('mysql', 'information_schema', 'performance_schema', 'sys')",
    ),
  );
}
