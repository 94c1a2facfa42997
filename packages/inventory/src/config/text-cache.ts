import { parseYamlText, readYamlText } from '../yaml/parse.js';

export interface Source {
  file: string;
  text: string;
}

/**
 * Reads the files in order. A file that cannot be read is reported after the syntax errors of the files before
 * it, the order in which reading and parsing one file at a time reports them.
 */
export async function readSources(files: readonly string[]): Promise<Source[]> {
  const sources: Source[] = [];
  for (const file of files) {
    try {
      sources.push({ file, text: await readYamlText(file) });
    } catch (error) {
      for (const source of sources) parseYamlText(source.text, source.file);
      throw error;
    }
  }
  return sources;
}

/**
 * The last results computed from a set of file texts, reused while every text is byte-for-byte the same:
 * the steps of a leap load the same user config and env.d again and again, and parsing a YAML file of
 * thousands of hosts costs far more than comparing its text. Each caller gets its own deep copy, so no
 * caller can change what another one sees. Failures are not kept.
 */
export class TextCache<T> {
  private readonly entries = new Map<string, { texts: string[]; value: T }>();

  constructor(private readonly limit = 8) {}

  get(sources: readonly Source[], compute: () => T): T {
    const key = sources.map((s) => s.file).join('\0');
    const hit = this.entries.get(key);
    if (
      hit !== undefined &&
      hit.texts.length === sources.length &&
      hit.texts.every((text, i) => text === sources[i]!.text)
    ) {
      return structuredClone(hit.value);
    }
    const value = compute();
    this.entries.delete(key);
    this.entries.set(key, { texts: sources.map((s) => s.text), value });
    if (this.entries.size > this.limit) this.entries.delete(this.entries.keys().next().value!);
    return structuredClone(value);
  }
}
