import type { MigrationCommand } from './types.js';

/**
 * Kilo's flavor data migration, which Liberty's nova migration 291 refuses to run without (leap-anchors.md §4.3
 * KILO row, §9 W2: upstream's loop dropped it). It runs with Kilo code: on an OSA Kilo cloud nova is pip-installed
 * into the nova containers' system Python, so the command is /usr/local/bin/nova-manage there (openstack-ansible
 * eol-kilo 97e3425: os_nova nova-upstart-init.j2 RUNBIN=/usr/local/bin/<program>; upgrade-utilities
 * nova-extra-migrations.yml runs `nova-manage db migrate_flavor_data` as root on nova_api_os_compute[0]).
 */
export const kiloFlavorMigration: { group: string; defaultBin: string; command: MigrationCommand } = {
  group: 'nova_api_os_compute',
  defaultBin: '/usr/local/bin',
  // --force also migrates instances with a task in progress (OPS db-migrations-kilo.yml).
  command: { argv: ['nova-manage', 'db', 'migrate_flavor_data', '--force'] },
};
