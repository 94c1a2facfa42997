import type { Document } from 'yaml';

/**
 * Where a YAML file is broken and why, from its first parse error; undefined when it parsed. Only the first line of the
 * library's message: the rest quotes the file around the error, and these files hold credentials.
 */
export function yamlSyntaxError(file: string, doc: Document): string | undefined {
  const [error] = doc.errors;
  if (error === undefined) return undefined;
  const at = error.linePos?.[0];
  return `${file}${at ? `:${at.line}:${at.col}` : ''} is not valid YAML: ${error.message.split('\n')[0]}`;
}
