'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS script run by node directly */
// Lab stand-in for python-openstackclient 3.x (`openstack`): the compute and volume service commands leap runs,
// on the lab's nova and cinder `services` tables. Run by <lab>/bin/lab-openstack.

const { Refusal, quote, sql } = require('./lab-db.cjs');
const { allowOnly, printList, runClient } = require('./cliff.cjs');

const USAGE = [
  'usage (leap lab stand-in of openstack):',
  '  openstack compute service list -f json',
  '  openstack compute service set --disable <host> <binary>',
  '  openstack compute service delete <id> [<id> ...]',
  '  openstack volume service list -f json',
  '  openstack volume service set --disable <host> <binary>',
].join('\n');

const MISSING = {
  OS_AUTH_URL: 'Missing value auth-url required for auth plugin password',
  OS_USERNAME: 'Missing value username required for auth plugin password',
  OS_PASSWORD: 'Missing value password required for auth plugin password',
};

const COLUMNS = {
  compute: ['ID', 'Binary', 'Host', 'Zone', 'Status', 'State', 'Updated At'],
  volume: ['Binary', 'Host', 'Zone', 'Status', 'State', 'Updated At'],
};

/** nova and cinder count a service up while its last report is at most 60 s old (service_down_time). */
const UP = 'IFNULL(updated_at, created_at) >= UTC_TIMESTAMP() - INTERVAL 60 SECOND';
const UPDATED_AT = "IFNULL(DATE_FORMAT(updated_at, '%Y-%m-%dT%H:%i:%s.%f'), '')";

function listServices(area) {
  const database = area === 'compute' ? 'nova' : 'cinder';
  const zone = area === 'compute' ? "IF(`binary` = 'nova-compute', 'nova', 'internal')" : "IFNULL(availability_zone, 'nova')";
  const rows = sql(`SELECT id, \`binary\`, host, ${zone}, disabled, ${UP}, ${UPDATED_AT} FROM ${database}.services ` +
    'WHERE deleted = 0 ORDER BY id');
  return rows.map(([id, binary, host, zoneName, disabled, up, updatedAt]) => ({
    ID: Number(id),
    Binary: binary,
    Host: host,
    Zone: zoneName,
    Status: disabled === '1' ? 'disabled' : 'enabled',
    State: up === '1' ? 'up' : 'down',
    'Updated At': updatedAt === '' ? null : updatedAt,
  }));
}

function disableService(area, host, binary) {
  const database = area === 'compute' ? 'nova' : 'cinder';
  const where = `host = ${quote(host)} AND \`binary\` = ${quote(binary)} AND deleted = 0`;
  if (sql(`SELECT id FROM ${database}.services WHERE ${where}`).length === 0) {
    throw new Refusal(`Service ${binary} on host ${host} not found. (HTTP 404)`);
  }
  sql(`UPDATE ${database}.services SET disabled = 1 WHERE ${where}`);
}

/** nova soft-deletes a service: the row stays, with deleted = id. */
function deleteComputeServices(ids) {
  const failed = ids.filter((id) => {
    if (!/^\d+$/.test(id)) return true;
    const rows = sql(`UPDATE nova.services SET deleted = id, deleted_at = UTC_TIMESTAMP() WHERE id = ${id} AND deleted = 0; ` +
      'SELECT ROW_COUNT()');
    return rows[0][0] === '0';
  });
  if (failed.length > 0) {
    throw new Refusal([
      ...failed.map((id) => `Failed to delete compute service with ID '${id}': Service ${id} could not be found. (HTTP 404)`),
      `${failed.length} of ${ids.length} compute services failed to delete.`,
    ].join('\n'));
  }
}

function resolve(args) {
  const [area, noun, verb, ...rest] = args.words;
  if (!['compute', 'volume'].includes(area) || noun !== 'service') throw new Refusal(USAGE, 2);
  if (verb === 'list' && rest.length === 0) {
    allowOnly(args, USAGE, ['--format', '--column']);
    return () => printList(args, COLUMNS[area], listServices(area), USAGE);
  }
  if (verb === 'set' && rest.length === 2 && args.flags.has('--disable')) {
    allowOnly(args, USAGE, [], ['--disable']);
    return () => disableService(area, rest[0], rest[1]);
  }
  if (verb === 'delete' && area === 'compute' && rest.length > 0) {
    allowOnly(args, USAGE);
    return () => deleteComputeServices(rest);
  }
  throw new Refusal(USAGE, 2);
}

runClient('openstack', process.argv.slice(2), MISSING, resolve);
