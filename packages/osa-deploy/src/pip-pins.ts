/** One exact pin of a requirements or constraints file. */
export interface Pin {
  name: string;
  version: string;
}

/** How pip compares project names: case, `-`, `_` and `.` do not matter. */
export function pinKey(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** The `name==version` lines of a requirements or constraints file, by pinKey; ranges and comments are skipped. */
export function parsePins(text: string): Map<string, Pin> {
  const pins = new Map<string, Pin>();
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*$/, '').split(';')[0]!.trim();
    const match = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*==\s*([A-Za-z0-9.+!_-]+)$/.exec(line);
    if (match !== null) pins.set(pinKey(match[1]!), { name: match[1]!, version: match[2]! });
  }
  return pins;
}

/**
 * Requirement lines for `wanted`: a package the constraints pin is named alone (pip takes the constraint's
 * version; two pins that disagree would make pip refuse), any other keeps its own pin.
 */
export function unpinnedRequirements(
  wanted: Readonly<Record<string, string>>,
  constraints: ReadonlyMap<string, Pin>,
): string[] {
  return Object.entries(wanted).map(([name, version]) =>
    constraints.has(pinKey(name)) ? name : `${name}==${version}`,
  );
}
