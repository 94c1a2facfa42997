import { readFileSync } from 'node:fs';
import { labAsset } from './assets.js';

/** The lab's copy of schema-versions.md §1.1, shared with the stand-in commands (lab/releases/lib/schema-versions.json). */
export interface SchemaTable {
  releases: string[];
  migrate: Record<string, { database: string; repository: string; versions: Record<string, number> }>;
  keystoneExtensions: Record<string, number>;
  keystoneNewtonRepos: Record<string, number>;
  novaApi: { database: string; repository: string; versions: Record<string, number>; firstRelease: string };
  neutron: { database: string; heads: Record<string, string[]>; subprojects: Record<string, Record<string, string[]>> };
  commands: Record<string, string[]>;
}

export function readSchemaTable(): SchemaTable {
  return JSON.parse(readFileSync(labAsset('releases/lib/schema-versions.json'), 'utf8')) as SchemaTable;
}
