import type { MigrationRelease, Service } from './schema-versions.js';

/**
 * One command of a service's migration: argv[0] is resolved in that release's migration venv `bin` folder.
 * `{neutronPluginConfig}` in an argument is replaced by the deployment's plugin config file.
 */
export interface MigrationCommand {
  argv: readonly string[];
  /** The user the runner should run it as (neutron-db-manage runs as `neutron`). */
  user?: string;
}

export type SqlFix =
  | 'glance-image-locations-v3'
  | 'neutron-network-mtu'
  | 'collation-utf8-general'
  | 'cinder-services-purge'
  | 'drop-horizon-database';

export type MigrationStep =
  | {
      kind: 'service';
      service: Service;
      /** The inventory group whose first host runs the commands. */
      group: string;
      commands: readonly MigrationCommand[];
      /** Schema component versions the service must hold afterwards (checked against the database). */
      expect: Readonly<Record<string, number | string>>;
    }
  | { kind: 'sql'; fix: SqlFix; why: string };

export interface ReleaseMigrations {
  release: MigrationRelease;
  /** The OSA tag whose migration venv holds this release's tools. */
  osaTag: string;
  steps: readonly MigrationStep[];
}
