import { labAsset } from './assets.js';
import { labSql } from './database.js';
import { membersOf, type InventoryView } from './inventory-view.js';
import { LAB_RELEASE_ORDER } from './releases.js';
import { readSchemaTable } from './schema-table.js';
import type { LabDatabase, LabSource } from './types.js';
import { readFileSync } from 'node:fs';

/** The per-database seeds of lab/sql, in load order. */
export const SEED_FILES = [
  'keystone.sql',
  'glance.sql',
  'cinder.sql',
  'nova.sql',
  'neutron.sql',
  'heat.sql',
  'dash.sql',
] as const;

/**
 * Loads the SQL seeds, stamps every service at the source release's schema version and adds the rows that
 * depend on the lab's hosts (services and agents registered under the inventory's container names).
 */
export async function seedLabDatabase(
  database: LabDatabase,
  source: LabSource,
  view: InventoryView,
  internalVip: string,
): Promise<void> {
  for (const file of SEED_FILES) await labSql(database, readFileSync(labAsset(`sql/${file}`), 'utf8'));
  await labSql(database, versionRows(source));
  await labSql(database, hostRows(view, internalVip));
}

function q(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function repositoryPath(database: string): string {
  return `/usr/local/lib/python2.7/dist-packages/${database}/db/sqlalchemy/migrate_repo`;
}

export function versionRows(source: LabSource): string {
  const table = readSchemaTable();
  const sql: string[] = [];
  for (const spec of Object.values(table.migrate)) {
    sql.push(
      `INSERT INTO ${spec.database}.migrate_version VALUES (${q(spec.repository)}, ${q(repositoryPath(spec.database))}, ${spec.versions[source]!});`,
    );
  }
  // Kilo's default db_sync also synced keystone's extension repositories; their rows never move afterwards.
  for (const [repository, version] of Object.entries(table.keystoneExtensions)) {
    sql.push(
      `INSERT INTO keystone.migrate_version VALUES (${q(repository)}, ${q(repositoryPath(`keystone/contrib/${repository}`))}, ${version});`,
    );
  }
  // OSA creates the nova API database only from Mitaka.
  const api = table.novaApi;
  if (LAB_RELEASE_ORDER.indexOf(source) >= LAB_RELEASE_ORDER.indexOf(api.firstRelease as LabSource)) {
    sql.push(
      `CREATE DATABASE ${api.database} CHARACTER SET utf8;`,
      `CREATE TABLE ${api.database}.migrate_version (repository_id VARCHAR(250) NOT NULL PRIMARY KEY, repository_path TEXT, version INT) ENGINE=InnoDB;`,
      `INSERT INTO ${api.database}.migrate_version VALUES (${q(api.repository)}, ${q(repositoryPath('nova/db/sqlalchemy/api_migrations'))}, ${api.versions[source]!});`,
    );
  }
  if (source !== 'kilo') {
    // Liberty's migration 291 let no unmigrated flavor through: a later source has them in instance_extra.
    sql.push(
      "UPDATE nova.instance_extra SET flavor = '{}' WHERE flavor IS NULL;",
      "UPDATE nova.instance_system_metadata SET deleted = id WHERE `key` = 'instance_type_id';",
    );
  }
  const neutron = table.neutron;
  sql.push(
    ...neutron.heads[source]!.map((rev) => `INSERT INTO ${neutron.database}.alembic_version VALUES (${q(rev)});`),
  );
  // Kilo OSA ran only neutron's own `upgrade head`; from Liberty `upgrade heads` covers lbaas, fwaas and vpnaas.
  if (source !== 'kilo') {
    for (const [name, heads] of Object.entries(neutron.subprojects)) {
      sql.push(
        `CREATE TABLE ${neutron.database}.${name} (version_num VARCHAR(32) NOT NULL PRIMARY KEY) ENGINE=InnoDB;`,
        ...heads[source]!.map((rev) => `INSERT INTO ${neutron.database}.${name} VALUES (${q(rev)});`),
      );
    }
  }
  return sql.join('\n');
}

const CREATED = "'2015-06-01 00:00:00'";
const SEEN = "'2016-12-01 00:00:00'";

function hostRows(view: InventoryView, internalVip: string): string {
  const of = (group: string): string[] => membersOf(view, group).sort();
  const sql: string[] = [
    `UPDATE glance.image_locations SET value = REPLACE(value, '172.29.236.10:5000', ${q(`${internalVip}:5000`)});`,
  ];
  const novaServices: Array<[string, string, string]> = [
    ...of('nova_conductor').map((h): [string, string, string] => [h, 'nova-conductor', 'conductor']),
    ...of('nova_scheduler').map((h): [string, string, string] => [h, 'nova-scheduler', 'scheduler']),
    ...of('nova_cert').map((h): [string, string, string] => [h, 'nova-cert', 'cert']),
    ...of('nova_console').map((h): [string, string, string] => [h, 'nova-consoleauth', 'consoleauth']),
    ...of('nova_compute').map((h): [string, string, string] => [h, 'nova-compute', 'compute']),
  ];
  for (const [host, binary, topic] of novaServices) {
    sql.push(
      `INSERT INTO nova.services (created_at, updated_at, deleted, host, \`binary\`, topic, report_count, disabled, forced_down) ` +
        `VALUES (${CREATED}, ${SEEN}, 0, ${q(host)}, ${q(binary)}, ${q(topic)}, 1000, 0, 0);`,
    );
  }
  for (const host of of('nova_compute')) {
    sql.push(
      `INSERT INTO nova.compute_nodes (created_at, deleted, service_id, vcpus, memory_mb, local_gb, vcpus_used, memory_mb_used, ` +
        `local_gb_used, hypervisor_type, hypervisor_version, hypervisor_hostname, host) SELECT ${CREATED}, 0, id, 16, 65536, 500, 12, ` +
        `24576, 240, 'QEMU', 2000000, ${q(host)}, ${q(host)} FROM nova.services WHERE host = ${q(host)} AND \`binary\` = 'nova-compute';`,
    );
  }
  const cinderServices: Array<[string, string]> = [
    ...of('cinder_scheduler').map((h): [string, string] => [h, 'cinder-scheduler']),
    ...of('cinder_volume').map((h): [string, string] => [`${h}@lvm`, 'cinder-volume']),
  ];
  for (const [host, binary] of cinderServices) {
    sql.push(
      `INSERT INTO cinder.services (created_at, updated_at, deleted, host, \`binary\`, topic, report_count, disabled, availability_zone) ` +
        `VALUES (${CREATED}, ${SEEN}, 0, ${q(host)}, ${q(binary)}, ${q(binary)}, 1000, 0, 'nova');`,
    );
  }
  const agents: Array<[string, string, string]> = [
    ...of('neutron_l3_agent').map((h): [string, string, string] => [h, 'L3 agent', 'neutron-l3-agent']),
    ...of('neutron_dhcp_agent').map((h): [string, string, string] => [h, 'DHCP agent', 'neutron-dhcp-agent']),
    ...of('neutron_metadata_agent').map((h): [string, string, string] => [
      h,
      'Metadata agent',
      'neutron-metadata-agent',
    ]),
    ...of('neutron_linuxbridge_agent').map((h): [string, string, string] => [
      h,
      'Linux bridge agent',
      'neutron-linuxbridge-agent',
    ]),
  ];
  agents.forEach(([host, type, binary], i) => {
    sql.push(
      `INSERT INTO neutron.agents (id, agent_type, \`binary\`, topic, host, admin_state_up, created_at, started_at, heartbeat_timestamp, configurations) ` +
        `VALUES (${q(`6a7b8c9d-0000-4000-8000-${String(i + 1).padStart(12, '0')}`)}, ${q(type)}, ${q(binary)}, 'N/A', ${q(host)}, 1, ${CREATED}, ${CREATED}, ${SEEN}, '{}');`,
    );
  });
  of('heat_engine').forEach((host, i) => {
    // Kilo heat-engine registered under the container name, underscores included (the Mitaka step deletes these).
    sql.push(
      `INSERT INTO heat.service VALUES (${q(`8c9d0e1f-0000-4000-8000-${String(i + 1).padStart(12, '0')}`)}, ` +
        `${q(`8c9d0e1f-1111-4000-8000-${String(i + 1).padStart(12, '0')}`)}, ${q(host)}, ${q(host)}, 'heat-engine', 'engine', 60, ${CREATED}, ${SEEN}, NULL);`,
    );
  });
  return sql.join('\n');
}
