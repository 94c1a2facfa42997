import type { z } from 'zod';
import { InventoryError, type InventoryErrorCode } from '../errors.js';
import { formatPath, positionOf } from '../yaml/position.js';
import type { ParsedYaml } from '../yaml/parse.js';

/** Turns the first zod issue into an error naming the file, line/column and key path. */
export function issueError(
  code: InventoryErrorCode,
  issues: readonly z.core.$ZodIssue[],
  locate: (path: readonly PropertyKey[]) => { file: string; parsed?: ParsedYaml },
  hint: string,
): InventoryError {
  const issue = issues[0]!;
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  const { file, parsed } = locate(path);
  const pos = parsed === undefined ? undefined : positionOf(parsed.doc, parsed.lineCounter, path);
  const where = pos === undefined ? file : `${file}:${pos.line}:${pos.col}`;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
  return new InventoryError(code, `${where}: ${formatPath(path)}: ${issue.message}${more}`, { file, hint });
}
