import { readFile } from 'node:fs/promises';
import { LineCounter, type Document } from 'yaml';
import { InventoryError } from '../errors.js';
import { parseDocumentUniqueKeys } from './unique-keys.js';

export interface ParsedYaml {
  file: string;
  text: string;
  doc: Document;
  lineCounter: LineCounter;
  /** The plain data (aliases resolved). */
  data: unknown;
}

/** Parses YAML text; a syntax error names the file, the line and column, and how to fix it. */
export function parseYamlText(text: string, file: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocumentUniqueKeys(text, { lineCounter, prettyErrors: false });
  const error = doc.errors[0];
  if (error !== undefined) {
    const pos = lineCounter.linePos(error.pos[0]);
    throw new InventoryError(
      'LEAP_YAML_SYNTAX',
      `${file}:${pos.line}:${pos.col}: invalid YAML: ${error.message.split('\n')[0]}`,
      {
        file,
        hint: `fix the YAML at line ${pos.line}, column ${pos.col} of ${file} (a backup of every file leap edits is in the leap's backup folder), then re-run`,
      },
    );
  }
  return { file, text, doc, lineCounter, data: doc.toJS({ maxAliasCount: 10_000 }) as unknown };
}

/** The text of a YAML file; an unreadable file is a LEAP_FILE_UNREADABLE error naming it. */
export async function readYamlText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (cause) {
    throw new InventoryError('LEAP_FILE_UNREADABLE', `cannot read ${file}`, {
      file,
      cause,
      hint: 'check that the file exists and is readable by the user running leap',
    });
  }
}

export async function readYamlFile(file: string): Promise<ParsedYaml> {
  return parseYamlText(await readYamlText(file), file);
}
