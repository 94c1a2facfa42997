import type { ReleaseMigrations } from './types.js';

/** OPS upgrade-utilities db-migrations-liberty.yml, then glance-db-storage-url-fix.yml (leap-anchors.md §4.3). */
export const liberty: ReleaseMigrations = {
  release: 'liberty',
  osaTag: 'liberty-eol',
  steps: [
    // Pinned to 75: a plain db_sync with Liberty code would also sync the extension repos.
    {
      kind: 'service',
      service: 'keystone',
      group: 'keystone_all',
      commands: [{ argv: ['keystone-manage', 'db_sync', '75'] }],
      expect: { keystone: 75 },
    },
    {
      kind: 'service',
      service: 'glance',
      group: 'glance_all',
      commands: [{ argv: ['glance-manage', 'db_sync'] }],
      expect: { glance: 42 },
    },
    {
      kind: 'service',
      service: 'cinder',
      group: 'cinder_all',
      commands: [{ argv: ['cinder-manage', 'db', 'sync'] }],
      expect: { cinder: 60 },
    },
    {
      kind: 'service',
      service: 'nova',
      group: 'nova_conductor',
      commands: [
        { argv: ['nova-manage', 'db', 'null_instance_uuid_scan', '--delete'] },
        { argv: ['nova-manage', 'db', 'sync'] },
      ],
      expect: { nova: 302 },
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
      expect: { 'neutron:expand': '34af2b5c5a59', 'neutron:contract': '4af11ca47297' },
    },
    {
      kind: 'service',
      service: 'heat',
      group: 'heat_all',
      commands: [{ argv: ['heat-manage', 'db_sync'] }],
      expect: { heat: 65 },
    },
    { kind: 'sql', fix: 'drop-horizon-database', why: 'the Newton deploy recreates the horizon database' },
    {
      kind: 'sql',
      fix: 'glance-image-locations-v3',
      why: 'Liberty glance talks to swift through keystone v3; stored v2.0 URLs would break images',
    },
  ],
};
