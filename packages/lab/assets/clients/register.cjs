'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS script run by node directly */
// What the Newton services do when they first start on re-deployed hosts, for the lab's stand-in playbooks
// (os-nova-install.yml, os-cinder-install.yml, os-neutron-install.yml): register under the host's Newton hostname
// (its inventory name with `_` replaced by `-`) the services its groups run (services.json, the table the lab
// builder seeds the Kilo rows from). Inserts or updates, so a re-run playbook changes nothing more.
// Usage: lab-openstack-register <nova|cinder|neutron> <openstack_inventory.json> <inventory host>...

const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { createHash } = require('node:crypto');
const { Refusal, quote, sql, runCommand } = require('./lab-db.cjs');

const USAGE = 'usage: lab-openstack-register <nova|cinder|neutron> <openstack_inventory.json> <inventory host>...';

// The stand-in services never stop heartbeating, so their last report is far in the future: always up.
const HEARTBEAT = "'2099-12-31 00:00:00'";
const CREATED = 'UTC_TIMESTAMP()';

function newtonHostname(name) {
  return name.replace(/_/g, '-');
}

/** A deterministic UUID for a row this command creates, so that re-runs and reruns of a lab agree. */
function uuidOf(label) {
  const hex = createHash('sha256').update(label).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The hosts of a group and of its children, recursively. */
function membersOf(inventory, group, seen = new Set()) {
  if (seen.has(group) || inventory[group] === undefined) return [];
  seen.add(group);
  const { hosts = [], children = [] } = inventory[group];
  return [...hosts, ...children.flatMap((child) => membersOf(inventory, child, seen))];
}

/** [{ entry of services.json, hosts: the given hosts in its group, sorted }] */
function servicesOf(service, inventory, hosts) {
  const table = JSON.parse(readFileSync(join(__dirname, 'services.json'), 'utf8'));
  return table[service].map((entry) => {
    const members = new Set(membersOf(inventory, entry.group));
    return { ...entry, hosts: hosts.filter((host) => members.has(host)).sort() };
  });
}

function registerNova(services) {
  for (const { binary, topic, hosts } of services) {
    for (const host of hosts.map(newtonHostname)) {
      const where = `host = ${quote(host)} AND \`binary\` = ${quote(binary)} AND deleted = 0`;
      sql(`UPDATE nova.services SET updated_at = ${HEARTBEAT} WHERE ${where}; ` +
        'INSERT INTO nova.services (created_at, updated_at, deleted, host, `binary`, topic, report_count, disabled, forced_down) ' +
        `SELECT ${CREATED}, ${HEARTBEAT}, 0, ${quote(host)}, ${quote(binary)}, ${quote(topic)}, 1, 0, 0 FROM DUAL ` +
        `WHERE NOT EXISTS (SELECT 1 FROM nova.services WHERE ${where})`);
    }
  }
}

function registerCinder(services) {
  for (const { binary, backend, hosts } of services) {
    for (const name of hosts) {
      const host = backend === null ? newtonHostname(name) : `${newtonHostname(name)}@${backend}`;
      const where = `host = ${quote(host)} AND \`binary\` = ${quote(binary)} AND deleted = 0`;
      sql(`UPDATE cinder.services SET updated_at = ${HEARTBEAT} WHERE ${where}; ` +
        'INSERT INTO cinder.services (created_at, updated_at, deleted, host, `binary`, topic, report_count, disabled, availability_zone) ' +
        `SELECT ${CREATED}, ${HEARTBEAT}, 0, ${quote(host)}, ${quote(binary)}, ${quote(binary)}, 1, 0, 'nova' FROM DUAL ` +
        `WHERE NOT EXISTS (SELECT 1 FROM cinder.services WHERE ${where})`);
    }
  }
}

function registerNeutron(services) {
  for (const { type, binary, hosts } of services) {
    for (const host of hosts.map(newtonHostname)) {
      sql('INSERT INTO neutron.agents (id, agent_type, `binary`, topic, host, admin_state_up, created_at, started_at, ' +
        `heartbeat_timestamp, configurations) VALUES (${quote(uuidOf(`agent ${type} ${host}`))}, ${quote(type)}, ` +
        `${quote(binary)}, 'N/A', ${quote(host)}, 1, ${CREATED}, ${CREATED}, ${HEARTBEAT}, '{}') ` +
        `ON DUPLICATE KEY UPDATE heartbeat_timestamp = ${HEARTBEAT}`);
    }
  }
  const newAgentHost = (type) => services.find((entry) => entry.type === type).hosts.map(newtonHostname)[0];
  const dhcpHost = newAgentHost('DHCP agent');
  if (dhcpHost !== undefined) addDhcpPorts(dhcpHost);
  const l3Host = newAgentHost('L3 agent');
  if (l3Host !== undefined) moveRouters(l3Host);
}

/** A Kilo host: an inventory name with its underscores (Newton hostnames have none). */
const KILO_HOST = "LIKE '%\\_%'";

/**
 * What a Newton DHCP agent shows while the Kilo agent's port still holds the address: its own DHCP port on every
 * network served from a Kilo host, in status BUILD, bound to its host.
 */
function addDhcpPorts(host) {
  const networks = sql("SELECT DISTINCT p.network_id FROM neutron.ports p JOIN neutron.ml2_port_bindings b ON b.port_id = p.id " +
    `WHERE p.device_owner = 'network:dhcp' AND p.status = 'ACTIVE' AND b.host ${KILO_HOST} ORDER BY 1`).map((row) => row[0]);
  for (const network of networks) {
    const id = uuidOf(`dhcp port ${network} ${host}`);
    const mac = `fa:16:3e:${id.slice(0, 2)}:${id.slice(2, 4)}:${id.slice(4, 6)}`;
    const deviceId = `dhcp${uuidOf(`dhcp device ${host}`)}-${network}`;
    sql('INSERT IGNORE INTO neutron.ports (tenant_id, id, name, network_id, mac_address, admin_state_up, status, device_id, device_owner) ' +
      `SELECT tenant_id, ${quote(id)}, '', id, ${quote(mac)}, 1, 'BUILD', ${quote(deviceId)}, 'network:dhcp' ` +
      `FROM neutron.networks WHERE id = ${quote(network)}; ` +
      'INSERT IGNORE INTO neutron.ml2_port_bindings (port_id, host, vnic_type, profile, vif_type, vif_details, driver) ' +
      `VALUES (${quote(id)}, ${quote(host)}, 'normal', '', 'bridge', '{"port_filter": true}', 'linuxbridge')`);
  }
}

/** What neutron-ha-tool does in production: the routers of the Kilo L3 agents move to the Newton one. */
function moveRouters(host) {
  const kiloAgents = `SELECT id FROM neutron.agents WHERE agent_type = 'L3 agent' AND host ${KILO_HOST}`;
  sql('INSERT IGNORE INTO neutron.routerl3agentbindings (router_id, l3_agent_id) SELECT b.router_id, a.id ' +
    `FROM neutron.routerl3agentbindings b JOIN neutron.agents a ON a.agent_type = 'L3 agent' AND a.host = ${quote(host)} ` +
    `WHERE b.l3_agent_id IN (${kiloAgents}); ` +
    `DELETE FROM neutron.routerl3agentbindings WHERE l3_agent_id IN (${kiloAgents})`);
}

const REGISTER = { nova: registerNova, cinder: registerCinder, neutron: registerNeutron };

runCommand(() => {
  const [service, inventoryFile, ...hosts] = process.argv.slice(2);
  if (REGISTER[service] === undefined || inventoryFile === undefined) throw new Refusal(USAGE, 2);
  const inventory = JSON.parse(readFileSync(inventoryFile, 'utf8'));
  REGISTER[service](servicesOf(service, inventory, hosts));
});
