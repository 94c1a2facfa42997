import { createRequire } from 'node:module';
import { hostname, userInfo } from 'node:os';

/** Who and where: recorded in markers, the plan header and the lock sidecar. */
export interface Identity {
  host: string;
  user: string;
  pid: number;
}

export function currentIdentity(): Identity {
  let user: string;
  try {
    user = userInfo().username;
  } catch {
    // A uid without a passwd entry (some containers) makes userInfo() throw.
    user = process.env['USER'] ?? String(process.getuid?.() ?? 'unknown');
  }
  return { host: hostname(), user, pid: process.pid };
}

/** The version of @leap/markers, the default tool version recorded when the caller gives none. */
export function markersVersion(): string {
  const pkg = createRequire(import.meta.url)('../package.json') as { version?: string };
  return pkg.version ?? 'unknown';
}
