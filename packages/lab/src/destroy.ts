import { realpathSync, rmSync } from 'node:fs';
import { stopLabDatabase } from './database.js';
import { stopLabGalera } from './galera-cluster.js';
import { readLabFile } from './lab-file.js';

/** Stops the lab's mariadbd (or its Galera nodes) and removes `dir`; refuses a folder without a lab.json (never removes an arbitrary folder). */
export async function destroyLab(dir: string): Promise<void> {
  const lab = readLabFile(dir);
  if (lab.galera !== undefined) await stopLabGalera(lab.galera.nodes);
  else if (lab.database !== undefined) await stopLabDatabase(lab.database);
  rmSync(realpathSync(dir), { recursive: true, force: true, maxRetries: 3 });
}
