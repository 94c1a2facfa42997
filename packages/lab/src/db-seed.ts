import { labAsset } from './assets.js';
import { labSql } from './database.js';
import { membersOf, type InventoryView } from './inventory-view.js';
import { LAB_RELEASE_ORDER } from './releases.js';
import { readSchemaTable } from './schema-table.js';
import { readServiceTable, type ServiceTable } from './service-table.js';
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
 * depend on the lab's hosts (services and agents registered under the inventory's container names, the DHCP port
 * and router bindings to those agents, the volumes' host).
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
  const services = readServiceTable();
  const sql: string[] = [
    `UPDATE glance.image_locations SET value = REPLACE(value, '172.29.236.10:5000', ${q(`${internalVip}:5000`)});`,
  ];
  for (const { group, binary, topic } of services.nova) {
    for (const host of of(group)) {
      sql.push(
        `INSERT INTO nova.services (created_at, updated_at, deleted, host, \`binary\`, topic, report_count, disabled, forced_down) ` +
          `VALUES (${CREATED}, ${SEEN}, 0, ${q(host)}, ${q(binary)}, ${q(topic)}, 1000, 0, 0);`,
      );
    }
  }
  for (const host of of('nova_compute')) {
    sql.push(
      `INSERT INTO nova.compute_nodes (created_at, deleted, service_id, vcpus, memory_mb, local_gb, vcpus_used, memory_mb_used, ` +
        `local_gb_used, hypervisor_type, hypervisor_version, hypervisor_hostname, host) SELECT ${CREATED}, 0, id, 16, 65536, 500, 12, ` +
        `24576, 240, 'QEMU', 2000000, ${q(host)}, ${q(host)} FROM nova.services WHERE host = ${q(host)} AND \`binary\` = 'nova-compute';`,
    );
  }
  for (const { group, binary, backend } of services.cinder) {
    for (const host of of(group)) {
      sql.push(
        `INSERT INTO cinder.services (created_at, updated_at, deleted, host, \`binary\`, topic, report_count, disabled, availability_zone) ` +
          `VALUES (${CREATED}, ${SEEN}, 0, ${q(backend === null ? host : `${host}@${backend}`)}, ${q(binary)}, ${q(binary)}, 1000, 0, 'nova');`,
      );
    }
  }
  // The volumes live on the first cinder-volume host (a container's name when cinder-volume runs in containers).
  const volumeHost = of('cinder_volume')[0];
  if (volumeHost !== undefined) sql.push(`UPDATE cinder.volumes SET host = ${q(`${volumeHost}@lvm#LVM_iSCSI`)};`);
  sql.push(...agentRows(services, of));
  of('heat_engine').forEach((host, i) => {
    // Kilo heat-engine registered under the container name, underscores included (the Mitaka step deletes these).
    sql.push(
      `INSERT INTO heat.service VALUES (${q(`8c9d0e1f-0000-4000-8000-${String(i + 1).padStart(12, '0')}`)}, ` +
        `${q(`8c9d0e1f-1111-4000-8000-${String(i + 1).padStart(12, '0')}`)}, ${q(host)}, ${q(host)}, 'heat-engine', 'engine', 60, ${CREATED}, ${SEEN}, NULL);`,
    );
  });
  return sql.join('\n');
}

/** The neutron agents, the DHCP ports bound to the first DHCP agent's host and the routers to the first L3 agent. */
function agentRows(services: ServiceTable, of: (group: string) => string[]): string[] {
  const sql: string[] = [];
  services.neutron
    .flatMap(({ group, type, binary }) => of(group).map((host) => [host, type, binary] as const))
    .forEach(([host, type, binary], i) => {
      sql.push(
        `INSERT INTO neutron.agents (id, agent_type, \`binary\`, topic, host, admin_state_up, created_at, started_at, heartbeat_timestamp, configurations) ` +
          `VALUES (${q(`6a7b8c9d-0000-4000-8000-${String(i + 1).padStart(12, '0')}`)}, ${q(type)}, ${q(binary)}, 'N/A', ${q(host)}, 1, ${CREATED}, ${CREATED}, ${SEEN}, '{}');`,
      );
    });
  const dhcpHost = of('neutron_dhcp_agent')[0];
  if (dhcpHost !== undefined) {
    sql.push(
      'INSERT INTO neutron.ml2_port_bindings (port_id, host, vif_type, vif_details, driver) ' +
        `SELECT id, ${q(dhcpHost)}, 'bridge', '{"port_filter": true}', 'linuxbridge' FROM neutron.ports WHERE device_owner = 'network:dhcp';`,
    );
  }
  const l3Host = of('neutron_l3_agent')[0];
  if (l3Host !== undefined) {
    sql.push(
      'INSERT INTO neutron.routerl3agentbindings (router_id, l3_agent_id) SELECT r.id, a.id FROM neutron.routers r ' +
        `JOIN neutron.agents a ON a.agent_type = 'L3 agent' AND a.host = ${q(l3Host)};`,
    );
  }
  return sql;
}
