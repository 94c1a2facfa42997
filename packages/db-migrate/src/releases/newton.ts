import type { ReleaseMigrations } from './types.js';

/** OPS upgrade-utilities db-collation-alter.yml, then db-migrations-newton.yml (leap-anchors.md §4.3). */
export const newton: ReleaseMigrations = {
  release: 'newton',
  osaTag: 'newton-eol',
  steps: [
    {
      kind: 'sql',
      fix: 'collation-utf8-general',
      why: 'Newton migrations create utf8_general_ci tables; foreign keys to utf8_unicode_ci columns fail',
    },
    {
      kind: 'service',
      service: 'keystone',
      group: 'keystone_all',
      commands: [{ argv: ['keystone-manage', 'db_sync'] }],
      expect: { keystone: 109, keystone_expand: 4, keystone_data_migrate: 4, keystone_contract: 4 },
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
      expect: { cinder: 79 },
    },
    {
      kind: 'sql',
      fix: 'cinder-services-purge',
      why: 'the re-deploy registers cinder services under new host names; the old rows would show as down forever',
    },
    {
      kind: 'service',
      service: 'nova',
      group: 'nova_conductor',
      commands: [
        { argv: ['nova-manage', 'db', 'null_instance_uuid_scan', '--delete'] },
        { argv: ['nova-manage', 'db', 'sync'] },
        { argv: ['nova-manage', 'db', 'online_data_migrations'] },
      ],
      expect: { nova: 334 },
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
      expect: { 'neutron:expand': '5cd92597d11d', 'neutron:contract': '5c85685d616d' },
    },
    {
      kind: 'service',
      service: 'heat',
      group: 'heat_all',
      commands: [{ argv: ['heat-manage', 'db_sync'] }],
      expect: { heat: 73 },
    },
    { kind: 'sql', fix: 'drop-horizon-database', why: 'the Newton deploy recreates the horizon database' },
    {
      kind: 'service',
      service: 'aodh',
      group: 'aodh_all',
      commands: [{ argv: ['aodh-dbsync'] }],
      expect: { aodh: 'f8c31b1ffe11' },
    },
    {
      kind: 'service',
      service: 'ironic',
      group: 'ironic_conductor',
      commands: [{ argv: ['ironic-dbsync', 'upgrade'] }],
      expect: { ironic: '60cf717201bc' },
    },
  ],
};
