import { kilo } from './kilo.js';
import { newton } from './newton.js';
import type { ReleaseProfile } from './types.js';

export type ReleaseName = 'kilo' | 'newton';

export const RELEASE_PROFILES: Readonly<Record<ReleaseName, ReleaseProfile>> = { kilo, newton };

export { NAME_VARIANTS, type MonitorRow, type ReleaseProfile, type ServiceRow } from './types.js';
