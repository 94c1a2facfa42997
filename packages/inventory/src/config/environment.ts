import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { InventoryError } from '../errors.js';
import { parseYamlText, type ParsedYaml } from '../yaml/parse.js';
import { deepMerge, isPlainObject } from './merge.js';
import { readSources, TextCache, type Source } from './text-cache.js';
import { issueError } from './validation.js';

const skelEntry = z.looseObject({
  belongs_to: z.array(z.string()).nullable().optional(),
  contains: z.array(z.string()).nullable().optional(),
  properties: z.record(z.string(), z.unknown()).nullable().optional(),
});

export const environmentSchema = z.looseObject({
  component_skel: z.record(z.string(), skelEntry).nullable().optional(),
  container_skel: z.record(z.string(), skelEntry).nullable().optional(),
  physical_skel: z.record(z.string(), skelEntry).nullable().optional(),
});

export type SkelEntry = z.infer<typeof skelEntry>;
export type Environment = z.infer<typeof environmentSchema>;

export interface LoadedEnvironment {
  environment: Environment;
  files: string[];
}

const HINT =
  'env.d files hold component_skel, container_skel and physical_skel mappings; compare with the OSA skeleton of the same name';

/** Reads every `*.yml` of an env.d folder (in name order) and merges them with OSA's rule. A missing folder is empty. */
export async function loadEnvironmentDir(dir: string): Promise<LoadedEnvironment> {
  const names = (await readdir(dir).catch(() => [] as string[])).filter((f) => /\.ya?ml$/.test(f)).sort();
  return environmentFromSources(await readSources(names.map((name) => join(dir, name))));
}

const layers = new TextCache<Environment | undefined>(256);

/**
 * Parses, validates and merges env.d file texts, in the order given. Each file is kept validated on its own,
 * so a step that edits one env.d file parses only that one again.
 */
export function environmentFromSources(sources: readonly Source[]): LoadedEnvironment {
  let data: (Environment | undefined)[];
  try {
    data = sources.map((s) => layers.get([s], () => validLayer(parseYamlText(s.text, s.file))));
  } catch {
    // Report the error a whole-folder load reports first: every syntax error before any schema error.
    return environmentFromFiles(sources.map((s) => parseYamlText(s.text, s.file)));
  }
  let environment: Environment = {};
  for (const layer of data) if (layer !== undefined) environment = mergeEnvironments(environment, layer);
  return { environment, files: sources.map((s) => s.file) };
}

/** Validates and merges already-read env.d files, in the order given. */
export function environmentFromFiles(parsedFiles: readonly ParsedYaml[]): LoadedEnvironment {
  let environment: Environment = {};
  const files: string[] = [];
  for (const parsed of parsedFiles) {
    files.push(parsed.file);
    const layer = validLayer(parsed);
    if (layer !== undefined) environment = mergeEnvironments(environment, layer);
  }
  return { environment, files };
}

/** One file's validated content; undefined for an empty file. */
function validLayer(parsed: ParsedYaml): Environment | undefined {
  const file = parsed.file;
  if (parsed.data === null || parsed.data === undefined) return undefined;
  if (!isPlainObject(parsed.data))
    throw new InventoryError('LEAP_ENVD_INVALID', `${file}:1:1: an env.d file must be a mapping`, { file, hint: HINT });
  const result = environmentSchema.safeParse(parsed.data);
  if (!result.success) throw issueError('LEAP_ENVD_INVALID', result.error.issues, () => ({ file, parsed }), HINT);
  return result.data;
}

/** Newton's rule: the base (in-tree) environment first, each override merged over it. */
export function mergeEnvironments(...layers: Environment[]): Environment {
  return layers.reduce<Environment>((acc, layer) => deepMerge(acc, layer) as Environment, {});
}
