import { existsSync } from 'node:fs';
import { MissingSystemCommandError } from '../system.js';

/** Returns `path` if it exists, else fails naming the Debian package that ships it. */
export function requireFile(path: string, debianPackage: string): string {
  if (!existsSync(path)) throw new MissingSystemCommandError(path, debianPackage);
  return path;
}
