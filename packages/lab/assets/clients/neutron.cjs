'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS script run by node directly */
// Lab stand-in for python-neutronclient 6.x (`neutron`): the agent, port and router commands leap runs, on the
// lab's neutron tables. Run by <lab>/bin/lab-neutron.

const { Refusal, quote, sql } = require('./lab-db.cjs');
const { allowOnly, printList, runClient } = require('./cliff.cjs');

const USAGE = [
  'usage (leap lab stand-in of neutron):',
  '  neutron agent-list -f json',
  '  neutron agent-update --admin-state-down <agent id>',
  '  neutron agent-delete <agent id>',
  '  neutron port-list [--<field> <value> ...] [-c <column> ...] -f json',
  '  neutron port-update --admin-state-up False|True <port id>',
  '  neutron port-delete <port id>',
  '  neutron router-list -f json',
  '  neutron l3-agent-list-hosting-router <router> -f json',
].join('\n');

const MISSING = {
  OS_AUTH_URL: 'You must provide an auth url via either --os-auth-url or via env[OS_AUTH_URL]',
  OS_USERNAME: 'You must provide a username or user ID via --os-username, env[OS_USERNAME] or --os-user-id, env[OS_USER_ID]',
  OS_PASSWORD: 'You must provide a password via either --os-password or env[OS_PASSWORD]',
};

const LIST_OPTIONS = ['--format', '--column'];

/** neutron counts an agent alive while its last heartbeat is at most 75 s old (agent_down_time). */
const ALIVE = "IF(a.heartbeat_timestamp >= UTC_TIMESTAMP() - INTERVAL 75 SECOND, ':-)', 'xxx')";

function agents(where = '1 = 1') {
  return sql(`SELECT a.id, a.agent_type, a.host, ${ALIVE}, a.admin_state_up, a.\`binary\` FROM neutron.agents a ` +
    `WHERE ${where} ORDER BY a.host, a.agent_type`).map(([id, type, host, alive, up, binary]) => ({
    id,
    agent_type: type,
    host,
    // Only the L3 and DHCP agents are scheduled by availability zone.
    availability_zone: type === 'L3 agent' || type === 'DHCP agent' ? 'nova' : null,
    alive,
    admin_state_up: up === '1',
    binary,
  }));
}

function requireRow(table, id, what) {
  if (sql(`SELECT id FROM neutron.${table} WHERE id = ${quote(id)}`).length === 0) {
    throw new Refusal(`Unable to find ${what} with name or id '${id}'`);
  }
}

/** Port columns: what `-c` and `--<field> <value>` filters name, and the SQL giving each. */
const PORT_FIELDS = {
  id: 'p.id',
  name: 'p.name',
  mac_address: 'p.mac_address',
  fixed_ips: "''",
  network_id: 'p.network_id',
  tenant_id: "IFNULL(p.tenant_id, '')",
  admin_state_up: 'p.admin_state_up',
  status: 'p.status',
  device_id: 'p.device_id',
  device_owner: 'p.device_owner',
  'binding:host_id': "IFNULL(b.host, '')",
};
const PORT_DEFAULT_COLUMNS = ['id', 'name', 'mac_address', 'fixed_ips'];

function portFilters(args) {
  const filters = [];
  for (const [option, values] of args.options) {
    if (LIST_OPTIONS.includes(option)) continue;
    const field = option.slice(2).replace(/-/g, '_');
    if (!(field in PORT_FIELDS)) throw new Refusal(`unrecognized arguments: ${option}\n${USAGE}`, 2);
    filters.push(`${PORT_FIELDS[field]} IN (${values.map(quote).join(', ')})`);
  }
  return filters;
}

function listPorts(args, filters) {
  const fields = Object.keys(PORT_FIELDS);
  const rows = sql(`SELECT ${fields.map((field) => PORT_FIELDS[field]).join(', ')} FROM neutron.ports p ` +
    `LEFT JOIN neutron.ml2_port_bindings b ON b.port_id = p.id WHERE ${['1 = 1', ...filters].join(' AND ')} ORDER BY p.id`);
  const ports = rows.map((row) => Object.fromEntries(fields.map((field, i) => [field, row[i]])));
  for (const port of ports) port.admin_state_up = port.admin_state_up === '1';
  const columns = args.options.has('--column') ? fields : PORT_DEFAULT_COLUMNS;
  printList(args, columns, ports, USAGE);
}

function routerOf(nameOrId) {
  const rows = sql(`SELECT id FROM neutron.routers WHERE id = ${quote(nameOrId)} OR name = ${quote(nameOrId)}`);
  if (rows.length === 0) throw new Refusal(`Unable to find router with name or id '${nameOrId}'`);
  if (rows.length > 1) throw new Refusal(`Multiple router matches found for name '${nameOrId}', use an ID to be more specific.`);
  return rows[0][0];
}

function listRouters(args) {
  const routers = sql('SELECT id, name FROM neutron.routers ORDER BY id').map(([id, name]) => ({
    id,
    name,
    // The lab's routers have no external gateway; the admin columns of a legacy router.
    external_gateway_info: null,
    distributed: false,
    ha: false,
  }));
  printList(args, ['id', 'name', 'external_gateway_info', 'distributed', 'ha'], routers, USAGE);
}

function listHostingAgents(args, router) {
  const id = routerOf(router);
  const hosting = agents(`a.id IN (SELECT l3_agent_id FROM neutron.routerl3agentbindings WHERE router_id = ${quote(id)})`);
  printList(args, ['id', 'host', 'admin_state_up', 'alive'], hosting, USAGE);
}

/** Deleting an agent or a port also drops its bindings (the foreign keys cascade in neutron's schema). */
const DELETES = {
  agent: (id) => `DELETE FROM neutron.routerl3agentbindings WHERE l3_agent_id = ${quote(id)}; DELETE FROM neutron.agents WHERE id = ${quote(id)}`,
  // With an old DHCP port gone, the new DHCP agent gets the address: its port, stuck in BUILD, becomes ACTIVE.
  port: (id) =>
    `UPDATE neutron.ports p JOIN (SELECT network_id FROM neutron.ports WHERE id = ${quote(id)} AND device_owner = 'network:dhcp') d ` +
    `ON p.network_id = d.network_id SET p.status = 'ACTIVE' WHERE p.device_owner = 'network:dhcp' AND p.status = 'BUILD' AND p.id <> ${quote(id)}; ` +
    `DELETE FROM neutron.ml2_port_bindings WHERE port_id = ${quote(id)}; DELETE FROM neutron.ports WHERE id = ${quote(id)}`,
};
const TABLES = { agent: 'agents', port: 'ports' };

function deleteRows(kind, ids) {
  for (const id of ids) requireRow(TABLES[kind], id, kind);
  for (const id of ids) sql(DELETES[kind](id));
  process.stdout.write(`Deleted ${kind}(s): ${ids.join(', ')}\n`);
}

function adminStateOf(value) {
  if (/^true$/i.test(value)) return 1;
  if (/^false$/i.test(value)) return 0;
  throw new Refusal(`argument --admin-state-up: invalid choice: '${value}' (choose from 'True', 'False')\n${USAGE}`, 2);
}

function setAdminState(kind, id, up) {
  requireRow(TABLES[kind], id, kind);
  sql(`UPDATE neutron.${TABLES[kind]} SET admin_state_up = ${up} WHERE id = ${quote(id)}`);
  process.stdout.write(`Updated ${kind}: ${id}\n`);
}

function resolveAgents(args, command, rest) {
  if (command === 'agent-list' && rest.length === 0) {
    allowOnly(args, USAGE, LIST_OPTIONS);
    return () => printList(args, ['id', 'agent_type', 'host', 'availability_zone', 'alive', 'admin_state_up', 'binary'], agents(), USAGE);
  }
  if (command === 'agent-update' && rest.length === 1 && args.flags.has('--admin-state-down')) {
    allowOnly(args, USAGE, [], ['--admin-state-down']);
    return () => setAdminState('agent', rest[0], 0);
  }
  if (command === 'agent-delete' && rest.length > 0) {
    allowOnly(args, USAGE);
    return () => deleteRows('agent', rest);
  }
  return undefined;
}

function resolvePortsAndRouters(args, command, rest) {
  if (command === 'port-list' && rest.length === 0) {
    const filters = portFilters(args);
    return () => listPorts(args, filters);
  }
  if (command === 'port-update' && rest.length === 1 && args.options.has('--admin-state-up')) {
    allowOnly(args, USAGE, ['--admin-state-up']);
    const up = adminStateOf(args.options.get('--admin-state-up').pop());
    return () => setAdminState('port', rest[0], up);
  }
  if (command === 'port-delete' && rest.length > 0) {
    allowOnly(args, USAGE);
    return () => deleteRows('port', rest);
  }
  if (command === 'router-list' && rest.length === 0) {
    allowOnly(args, USAGE, LIST_OPTIONS);
    return () => listRouters(args);
  }
  if (command === 'l3-agent-list-hosting-router' && rest.length === 1) {
    allowOnly(args, USAGE, LIST_OPTIONS);
    return () => listHostingAgents(args, rest[0]);
  }
  return undefined;
}

function resolve(args) {
  const [command, ...rest] = args.words;
  const action = resolveAgents(args, command, rest) ?? resolvePortsAndRouters(args, command, rest);
  if (action === undefined) throw new Refusal(USAGE, 2);
  return action;
}

runClient('neutron', process.argv.slice(2), MISSING, resolve);
