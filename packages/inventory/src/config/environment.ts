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

const HINT = 'env.d files hold component_skel, container_skel and physical_skel mappings; compare with the OSA skeleton of the same name';

/** Reads every `*.yml` of an env.d folder (in name order) and merges them with OSA's rule. A missing folder is empty. */
export async function loadEnvironmentDir(dir: string): Promise<LoadedEnvironment> {
  const names = (await readdir(dir).catch(() => [] as string[])).filter((f) => /\.ya?ml$/.test(f)).sort();
  return environmentFromSources(await readSources(names.map((name) => join(dir, name))));
}

const loaded = new TextCache<LoadedEnvironment>();

/** Parses, validates and merges env.d file texts, in the order given. */
export function environmentFromSources(sources: readonly Source[]): LoadedEnvironment {
  return loaded.get(sources, () => environmentFromFiles(sources.map((s) => parseYamlText(s.text, s.file))));
}

/** Validates and merges already-read env.d files, in the order given. */
export function environmentFromFiles(parsedFiles: readonly ParsedYaml[]): LoadedEnvironment {
  let environment: Environment = {};
  const files: string[] = [];
  for (const parsed of parsedFiles) {
    const file = parsed.file;
    files.push(file);
    if (parsed.data === null || parsed.data === undefined) continue;
    if (!isPlainObject(parsed.data)) throw new InventoryError('LEAP_ENVD_INVALID', `${file}:1:1: an env.d file must be a mapping`, { file, hint: HINT });
    const result = environmentSchema.safeParse(parsed.data);
    if (!result.success) throw issueError('LEAP_ENVD_INVALID', result.error.issues, () => ({ file, parsed }), HINT);
    environment = mergeEnvironments(environment, result.data);
  }
  return { environment, files };
}

/** Newton's rule: the base (in-tree) environment first, each override merged over it. */
export function mergeEnvironments(...layers: Environment[]): Environment {
  return layers.reduce<Environment>((acc, layer) => deepMerge(acc, layer) as Environment, {});
}
