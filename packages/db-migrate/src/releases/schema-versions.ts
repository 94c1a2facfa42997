/**
 * The last schema version each service database holds after a complete sync with the final code of each
 * release (placeholders included, since a complete `db sync` stops at the highest file). Sources: the
 * upstream trees at the `*-eol` tags; every row cites the migration file that sets the number.
 * See reference schema-versions.md §1.1–§1.3 (copied facts, not code).
 */
export const releaseOrder = ['kilo', 'liberty', 'mitaka', 'newton'] as const;
export type Release = (typeof releaseOrder)[number];
export type MigrationRelease = Exclude<Release, 'kilo'>;

export type Service = 'keystone' | 'glance' | 'cinder' | 'nova' | 'nova_api' | 'neutron' | 'heat' | 'aodh' | 'ironic';

/** sqlalchemy-migrate: one row of `migrate_version`, looked up by repository_id (never by repository_path). */
export interface MigrateComponent {
  kind: 'migrate';
  name: string;
  repositoryId: string;
  last: Partial<Record<Release, number>>;
  /** Other values that also count as that release complete (stable-branch backports). */
  alsoComplete?: Partial<Record<Release, number[]>>;
}

/** alembic: rows of a version table, placed on a branch by finding the revision in the branch's chain. */
export interface AlembicComponent {
  kind: 'alembic';
  name: string;
  table: string;
  /** Every revision of the branch from its oldest known one, in order. */
  chain: readonly string[];
  last: Partial<Record<Release, string>>;
  alsoComplete?: Partial<Record<Release, string[]>>;
}

export type SchemaComponent = MigrateComponent | AlembicComponent;

export interface ServiceSchema {
  service: Service;
  /** OSA's default database name. */
  database: string;
  /** Absent in many deployments (the leap skips it then). */
  optional: boolean;
  components: readonly SchemaComponent[];
  source: string;
}

const neutronExpand = [
  'kilo',
  // liberty/expand (12)
  '354db87e3225',
  '599c6a226151',
  '52c5312f6baf',
  '313373c0ffee',
  '8675309a5c4f',
  '45f955889773',
  '26c371498592',
  '1c844d1677f7',
  '1b4c6e320f79',
  '48153cb5f051',
  '9859ac9c136',
  '34af2b5c5a59',
  // mitaka/expand (16)
  '59cb5b6cf4d',
  '13cfb89f881a',
  '32e5974ada25',
  'ec7fcfbf72ee',
  'dce3ec7a25c9',
  'c3a73f615e4',
  '659bf3d90664',
  '1df244e556f5',
  '19f26505c74f',
  '15be73214821',
  'b4caf27aae4',
  '15e43b934f81',
  '31ed664953e6',
  '2f9e956e7532',
  '3894bccad37f',
  '0e66c5227a8a',
  // newton/expand (13)
  '45f8dd33480b',
  '5abc0278ca73',
  'd3435b514502',
  '30107ab6a3ee',
  'c415aab1c048',
  'a963b38d82f4',
  '3d0e74aa7d37',
  '030a959ceafa',
  'a5648cfeeadf',
  '0f5bef0f87d4',
  '67daae611b6e',
  '6b461a21bcfc',
  '5cd92597d11d',
] as const;

const neutronContract = [
  'kilo',
  // liberty/contract (7)
  '30018084ec99',
  '4ffceebfada',
  '5498d17be016',
  '2a16083502f3',
  '2e5352a0ad4d',
  '11926bcfe72d',
  '4af11ca47297',
  // mitaka/contract (7)
  '1b294093239c',
  '8a6d8bdae39',
  '2b4c2465d44b',
  'e3278ee65050',
  'c6c112992c9',
  '5ffceebfada',
  '4ffceebfcdc',
  // newton/contract (14)
  '7bbb25278f53',
  '89ab9a816d70',
  'c879c5e1ee90',
  '8fd3918ef6f4',
  '4bcd4df1f426',
  'b67e765a3524',
  'a84ccf28f06a',
  '7d9d8eeec6ad',
  'a8b517cff8ab',
  '3b935b28e7a0',
  'b12a3ef66e62',
  '97c25b0d2353',
  '2e0d7a8a1586',
  '5c85685d616d',
] as const;

export const schemaTable: readonly ServiceSchema[] = [
  {
    service: 'keystone',
    database: 'keystone',
    optional: false,
    components: [
      // 067_drop_redundant_mysql_index@kilo-eol, 075_confirm_config_registration@liberty-eol,
      // 097_drop_user_name_domainid_constraint@mitaka-eol (96 in 9.0.0–9.0.2), 109_add_password_self_service_column@newton-eol
      {
        kind: 'migrate',
        name: 'keystone',
        repositoryId: 'keystone',
        last: { kilo: 67, liberty: 75, mitaka: 97, newton: 109 },
        alsoComplete: { mitaka: [96] },
      },
      // keystone/common/sql/{expand,data_migration,contract}_repo/versions/004_reset_password_created_at.py@newton-eol
      { kind: 'migrate', name: 'keystone_expand', repositoryId: 'keystone_expand', last: { newton: 4 } },
      { kind: 'migrate', name: 'keystone_data_migrate', repositoryId: 'keystone_data_migrate', last: { newton: 4 } },
      { kind: 'migrate', name: 'keystone_contract', repositoryId: 'keystone_contract', last: { newton: 4 } },
    ],
    source:
      'openstack/keystone:keystone/common/sql/migrate_repo/versions/@kilo-eol,@liberty-eol,@mitaka-eol,@newton-eol',
  },
  {
    service: 'glance',
    database: 'glance',
    optional: false,
    // 041_add_artifact_tables@kilo-eol, 042_add_changes_to_reinstall_unique_metadef_constraints@liberty-eol,
    // 044_update_metadef_os_nova_server@mitaka-eol and @newton-eol (no Newton migration)
    components: [
      {
        kind: 'migrate',
        name: 'glance',
        repositoryId: 'Glance Migrations',
        last: { kilo: 41, liberty: 42, mitaka: 44, newton: 44 },
      },
    ],
    source: 'openstack/glance:glance/db/sqlalchemy/migrate_repo/versions/@kilo-eol..@newton-eol',
  },
  {
    service: 'cinder',
    database: 'cinder',
    optional: false,
    // 041_add_modified_at_column_to_service@kilo-eol, 060_placeholder@liberty-eol, 072_placeholder@mitaka-eol, 079_add_group_snapshots@newton-eol
    components: [
      {
        kind: 'migrate',
        name: 'cinder',
        repositoryId: 'cinder',
        last: { kilo: 41, liberty: 60, mitaka: 72, newton: 79 },
      },
    ],
    source: 'openstack/cinder:cinder/db/sqlalchemy/migrate_repo/versions/@kilo-eol..@newton-eol',
  },
  {
    service: 'nova',
    database: 'nova',
    optional: false,
    // 280_add_nullable_false_to_keypairs_name@kilo-eol, 302_pgsql_add_instance_system_metadata_index@liberty-eol,
    // 319_add_instances_deleted_created_at_index@mitaka-eol, 334_device_metadata_in_extra@newton-eol
    components: [
      {
        kind: 'migrate',
        name: 'nova',
        repositoryId: 'nova',
        last: { kilo: 280, liberty: 302, mitaka: 319, newton: 334 },
      },
    ],
    source: 'openstack/nova:nova/db/sqlalchemy/migrate_repo/versions/@kilo-eol..@newton-eol',
  },
  {
    service: 'nova_api',
    database: 'nova_api',
    optional: true,
    // api_migrations 002_instance_mapping@kilo-eol, 003_host_mapping@liberty-eol, 007_instance_mapping_nullable_cellid@mitaka-eol,
    // 022_request_specs_spec_mediumtext@newton-eol (20 in 14.0.0–14.0.1, 21 in 14.0.2–14.0.10 and OSA 14.2.3's pin)
    components: [
      {
        kind: 'migrate',
        name: 'nova_api',
        repositoryId: 'nova_api',
        last: { kilo: 2, liberty: 3, mitaka: 7, newton: 22 },
        alsoComplete: { newton: [20, 21] },
      },
    ],
    source: 'openstack/nova:nova/db/sqlalchemy/api_migrations/migrate_repo/versions/@kilo-eol..@newton-eol',
  },
  {
    service: 'neutron',
    database: 'neutron',
    optional: false,
    // HEAD@kilo-eol (kilo); liberty/{expand/34af2b5c5a59,contract/4af11ca47297}; mitaka/{expand/0e66c5227a8a,contract/4ffceebfcdc};
    // newton/{expand/5cd92597d11d,contract/5c85685d616d}. The release of the DB is the lower of the two branches.
    components: [
      {
        kind: 'alembic',
        name: 'neutron:expand',
        table: 'alembic_version',
        chain: neutronExpand,
        last: { kilo: 'kilo', liberty: '34af2b5c5a59', mitaka: '0e66c5227a8a', newton: '5cd92597d11d' },
      },
      {
        kind: 'alembic',
        name: 'neutron:contract',
        table: 'alembic_version',
        chain: neutronContract,
        last: { kilo: 'kilo', liberty: '4af11ca47297', mitaka: '4ffceebfcdc', newton: '5c85685d616d' },
      },
    ],
    source: 'openstack/neutron:neutron/db/migration/alembic_migrations/versions/@kilo-eol..@newton-eol',
  },
  {
    service: 'heat',
    database: 'heat',
    optional: true,
    // 062_parent_resource@kilo-eol, 065_root_resource@liberty-eol, 071_stack_owner_id_index@mitaka-eol, 073_resource_data_fk_ondelete_cascade@newton-eol
    components: [
      { kind: 'migrate', name: 'heat', repositoryId: 'heat', last: { kilo: 62, liberty: 65, mitaka: 71, newton: 73 } },
    ],
    source: 'openstack/heat:heat/db/sqlalchemy/migrate_repo/versions/@kilo-eol..@newton-eol',
  },
  {
    service: 'aodh',
    database: 'aodh',
    optional: true,
    // bb07adac380_add_severity_to_alarm_history@liberty-eol and @mitaka-eol; f8c31b1ffe11_add_index_for_enabled_and_type@newton-eol
    components: [
      {
        kind: 'alembic',
        name: 'aodh',
        table: 'alembic_version',
        chain: ['12fe8fac9fe4', 'bb07adac380', 'f8c31b1ffe11'],
        last: { liberty: 'bb07adac380', mitaka: 'bb07adac380', newton: 'f8c31b1ffe11' },
      },
    ],
    source: 'openstack/aodh:aodh/storage/sqlalchemy/alembic/versions/@liberty-eol..@newton-eol',
  },
  {
    service: 'ironic',
    database: 'ironic',
    optional: true,
    // 2fb93ffd2af1_increase_node_name_length@kilo-eol, 516faf1bb9b1_resizing_column_nodes_driver@liberty-eol,
    // f6fdb920c182_set_pxe_enabled_true@mitaka-eol, 60cf717201bc_add_standalone_ports_supported@newton-eol
    components: [
      {
        kind: 'alembic',
        name: 'ironic',
        table: 'alembic_version',
        chain: [
          '2fb93ffd2af1',
          '789acc877671',
          '516faf1bb9b1',
          '48d6c242bb9b',
          '5ea1b0d310e',
          'f6fdb920c182',
          'e294876e8028',
          '10b163d4481e',
          'dd34e1f1303b',
          'c14cef6dfedf',
          '60cf717201bc',
        ],
        last: { kilo: '2fb93ffd2af1', liberty: '516faf1bb9b1', mitaka: 'f6fdb920c182', newton: '60cf717201bc' },
      },
    ],
    source: 'openstack/ironic:ironic/db/sqlalchemy/alembic/versions/@kilo-eol..@newton-eol',
  },
];

export function schemaOf(service: Service): ServiceSchema {
  const found = schemaTable.find((s) => s.service === service);
  if (!found) throw new TypeError(`no schema table for ${service}`);
  return found;
}

/** The component versions a service must hold once `release`'s migrations are complete. */
export function expectedVersions(service: Service, release: Release): Record<string, number | string> {
  const out: Record<string, number | string> = {};
  for (const c of schemaOf(service).components) {
    const v = c.last[release];
    if (v !== undefined) out[c.name] = v;
  }
  return out;
}
