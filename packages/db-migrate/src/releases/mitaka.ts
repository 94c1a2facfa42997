import type { ReleaseMigrations } from './types.js';

/** OPS upgrade-utilities db-migrations-mitaka.yml, then neutron-mtu-migration.yml (leap-anchors.md §4.3). */
export const mitaka: ReleaseMigrations = {
  release: 'mitaka',
  osaTag: 'mitaka-eol',
  steps: [
    {
      kind: 'service',
      service: 'keystone',
      group: 'keystone_all',
      commands: [{ argv: ['keystone-manage', 'db_sync'] }],
      expect: { keystone: 97 },
    },
    {
      kind: 'service',
      service: 'glance',
      group: 'glance_all',
      commands: [{ argv: ['glance-manage', 'db_sync'] }],
      expect: { glance: 44 },
    },
    {
      kind: 'service',
      service: 'cinder',
      group: 'cinder_all',
      commands: [{ argv: ['cinder-manage', 'db', 'sync'] }],
      expect: { cinder: 72 },
    },
    {
      kind: 'service',
      service: 'nova',
      group: 'nova_conductor',
      commands: [
        { argv: ['nova-manage', 'db', 'null_instance_uuid_scan', '--delete'] },
        { argv: ['nova-manage', 'db', 'sync'] },
        // Newton's blocker migration 330 refuses to run until Mitaka's online data migrations are done.
        { argv: ['nova-manage', 'db', 'online_data_migrations'] },
      ],
      expect: { nova: 319 },
    },
    {
      kind: 'service',
      service: 'neutron',
      group: 'neutron_server',
      commands: [
        {
          argv: [
            'neutron-db-manage',
            '--config-file',
            '/etc/neutron/neutron.conf',
            '--config-file',
            '{neutronPluginConfig}',
            'upgrade',
            'heads',
          ],
          user: 'neutron',
        },
      ],
      expect: { 'neutron:expand': '0e66c5227a8a', 'neutron:contract': '4ffceebfcdc' },
    },
    {
      kind: 'service',
      service: 'heat',
      group: 'heat_all',
      commands: [{ argv: ['heat-manage', 'db_sync'] }],
      expect: { heat: 71 },
    },
    { kind: 'sql', fix: 'drop-horizon-database', why: 'the Newton deploy recreates the horizon database' },
    {
      kind: 'service',
      service: 'ironic',
      group: 'ironic_conductor',
      commands: [{ argv: ['ironic-dbsync', 'upgrade'] }],
      expect: { ironic: 'f6fdb920c182' },
    },
    { kind: 'sql', fix: 'neutron-network-mtu', why: 'Mitaka neutron needs a real MTU on every network; Kilo left 0' },
  ],
};
