import { join } from 'node:path';
import { Scalar } from 'yaml';
import { REQUIRED_VARIABLES } from '../required-variables.js';
import type { StepReport } from '../types.js';
import { EditSession, userFiles, type StepOptions } from './session.js';

/**
 * Adds `lxc_container_backing_store: "dir"` and `neutron_legacy_ha_tool_enabled: "yes"` to user_variables.yml
 * when no user_*.yml sets them. An operator's different value is kept and reported.
 */
export async function ensureRequiredVariables(options: StepOptions): Promise<StepReport> {
  const session = new EditSession(options);
  const target = join(options.deployDir, 'user_variables.yml');
  const editors = [];
  for (const file of await userFiles(options.deployDir)) editors.push({ file, editor: (await session.open(file))! });
  for (const { key, value } of REQUIRED_VARIABLES) {
    const found = editors.find(({ editor }) => editor.has([key]));
    if (found !== undefined) {
      const current = found.editor.get([key]);
      if (String(current) !== value) {
        session.record({
          file: found.file,
          action: 'kept',
          key,
          detail: `operator value ${JSON.stringify(current)} kept; leap expects "${value}"`,
        });
      }
      continue;
    }
    const editor = (await session.open(target, { mode: 0o644 }))!;
    const scalar = new Scalar(value);
    scalar.type = 'QUOTE_DOUBLE';
    editor.appendPair([], key, scalar);
    session.record({ file: target, action: 'added', key, detail: `"${value}"` });
  }
  await session.commit();
  return { step: 'required-variables', changes: session.changes };
}
