'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS script run by node directly */
// Lab stand-ins for the OpenStack database commands of one release (keystone-manage, nova-manage, ...).
// Each command only moves its service's schema-version rows in the lab database, and refuses to run unless
// the database is at the previous release's version, as the real code does when a release is skipped.
// Installed by `leap lab create` as <lab>/releases/lib/manage.cjs; every <lab>/releases/<release>/bin/<command>
// is a two-line script that calls run(). The lab database is found through <lab>/lab.json: no environment needed.

const { existsSync, readFileSync, appendFileSync } = require('node:fs');
const { basename, dirname, join, resolve } = require('node:path');
const { spawnSync } = require('node:child_process');

class Refusal extends Error {
  constructor(message, exitCode = 1) {
    super(message);
    this.exitCode = exitCode;
  }
}

/** Options every OpenStack command accepts before or after its sub-command (the lab ignores them), and sub-command options. */
const OPTIONS_WITH_VALUE = new Set(['--config-file', '--config-dir', '--log-file', '--log-dir', '--subproject', '--database-connection',
  '--currenthost', '--newhost']);
const FLAGS = new Set(['--debug', '-d', '--verbose', '-v', '--nodebug', '--noverbose', '--force']);

function parseArgs(argv) {
  const words = [];
  const flags = new Set();
  const values = new Map();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const name = arg.split('=')[0];
    if (OPTIONS_WITH_VALUE.has(name)) {
      values.set(name, arg.includes('=') ? arg.slice(name.length + 1) : argv[++i]);
    } else if (FLAGS.has(arg)) {
      flags.add(arg);
    } else if (arg.startsWith('--')) {
      flags.add(arg);
    } else {
      words.push(arg);
    }
  }
  return { words, flags, values };
}

function quote(value) {
  return `'${String(value).replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function createContext(scriptPath) {
  const binDir = dirname(resolve(scriptPath));
  const releaseDir = dirname(binDir);
  // <lab>/releases/<release>/bin, or a venv leap pushed to <lab>/opt/<name>/bin whose venv.json names the release.
  const venvFile = join(__dirname, 'venv.json');
  const venv = existsSync(venvFile) ? JSON.parse(readFileSync(venvFile, 'utf8')) : undefined;
  const labRoot = resolve(releaseDir, '..', '..');
  const release = venv ? venv.release : basename(releaseDir);
  const command = basename(scriptPath);
  const labFile = join(labRoot, 'lab.json');
  if (!existsSync(labFile)) throw new Refusal(`${command}: ${labFile} is missing; this stand-in only runs inside a leap lab`);
  const lab = JSON.parse(readFileSync(labFile, 'utf8'));
  const schema = JSON.parse(readFileSync(join(__dirname, 'schema-versions.json'), 'utf8'));
  const index = schema.releases.indexOf(release);
  if (index < 0) throw new Refusal(`${command}: unknown release folder '${release}'`);
  const previous = index === 0 ? undefined : schema.releases[index - 1];

  function sql(query, database) {
    if (!existsSync(lab.database.socket)) {
      throw new Refusal(`${command}: the lab database is not running (no socket at ${lab.database.socket})`);
    }
    const args = ['--no-defaults', '-S', lab.database.socket, '-u', lab.database.user, '-N', '-B', '-e', query];
    if (database !== undefined) args.push(database);
    const result = spawnSync(lab.database.client, args, { encoding: 'utf8' });
    if (result.error) throw new Refusal(`${command}: cannot run ${lab.database.client}: ${result.error.message}`);
    if (result.status !== 0) throw new Refusal(`${command}: ${result.stderr.trim()}`);
    return result.stdout.split('\n').filter((line) => line !== '').map((line) => line.split('\t'));
  }

  function databaseExists(database) {
    return sql(`SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ${quote(database)}`).length > 0;
  }

  function tableExists(database, table) {
    return sql(`SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = ${quote(database)} AND TABLE_NAME = ${quote(table)}`).length > 0;
  }

  // lab-run-as (the lab's sudo) names the user it ran the command as; without it the command ran as the caller.
  const user = process.env.LEAP_LAB_RUN_AS || 'root';

  function record(args, what) {
    appendFileSync(join(labRoot, 'releases', 'migrations.log'), `${release} ${command} ${args.join(' ')}: ${what} (as ${user})\n`);
  }

  return { labRoot, release, previous, command, lab, schema, sql, databaseExists, tableExists, record };
}

function repositoryPath(ctx, database) {
  return `/openstack/venvs/leap-lab-${ctx.release}/lib/python2.7/site-packages/${database}/db/sqlalchemy/migrate_repo`;
}

function readMigrateVersion(ctx, database, repository) {
  if (!ctx.databaseExists(database) || !ctx.tableExists(database, 'migrate_version')) return undefined;
  const rows = ctx.sql(`SELECT version FROM migrate_version WHERE repository_id = ${quote(repository)}`, database);
  return rows.length === 0 ? undefined : Number(rows[0][0]);
}

function writeMigrateVersion(ctx, database, repository, version) {
  ctx.sql(`INSERT INTO migrate_version (repository_id, repository_path, version) VALUES (${quote(repository)}, ` +
    `${quote(repositoryPath(ctx, database))}, ${Number(version)}) ON DUPLICATE KEY UPDATE version = VALUES(version)`, database);
}

/** One sqlalchemy-migrate sync: previous release's version -> this release's; already there is a no-op. */
function migrateSync(ctx, args, service, requestedVersion) {
  const spec = ctx.schema.migrate[service];
  const target = spec.versions[ctx.release];
  const from = spec.versions[ctx.previous];
  if (requestedVersion !== undefined && Number(requestedVersion) !== target) {
    throw new Refusal(`${ctx.command} (lab ${ctx.release}): can only sync ${spec.database} to ${target}, not ${requestedVersion}`);
  }
  const current = readMigrateVersion(ctx, spec.database, spec.repository);
  if (current === undefined) {
    throw new Refusal(`${ctx.command} (lab ${ctx.release}): database ${spec.database} is not under version control ` +
      `(no '${spec.repository}' row in migrate_version)`);
  }
  if (current === target) {
    ctx.record(args, `${spec.database} already at ${target}`);
    return;
  }
  // Liberty nova resumes from 290, where its blocker 291 stopped it.
  const resumed = service === 'nova' && ctx.release === 'liberty' && current === 290;
  if (current !== from && !resumed) {
    throw new Refusal(`${ctx.command} (lab ${ctx.release}): database ${spec.database} is at version ${current}, ` +
      `but ${ctx.release} code upgrades only from ${from} (${ctx.previous}) to ${target}; ` +
      whatToRunFirst(ctx, current, spec.versions));
  }
  writeMigrateVersion(ctx, spec.database, spec.repository, target);
  ctx.record(args, `${spec.database} ${current} -> ${target}`);
  process.stdout.write(`${spec.database}: migrated from ${current} to ${target}\n`);
}

/** What to run first, from the release whose final version the database holds. */
function whatToRunFirst(ctx, version, versions) {
  const names = ctx.schema.releases;
  const at = names.filter((name) => versions[name] === version).pop();
  if (at === undefined) return 'the database is at no release\'s final version (an interrupted migration?); restore it from the backup';
  const between = names.slice(names.indexOf(at) + 1, names.indexOf(ctx.release));
  return between.length > 0 ? `run the ${between.join(', then the ')} migrations first` : `this ${at} database needs no ${ctx.release} migration`;
}

function printMigrateVersion(ctx, service) {
  const spec = ctx.schema.migrate[service];
  const current = readMigrateVersion(ctx, spec.database, spec.repository);
  if (current === undefined) throw new Refusal(`${ctx.command}: database ${spec.database} is not under version control`);
  process.stdout.write(`${current}\n`);
}

function unknown(ctx, words) {
  throw new Refusal(`${ctx.command} (lab ${ctx.release}): unsupported arguments: ${words.join(' ') || '(none)'}`, 2);
}

function keystoneManage(ctx, args, { words, flags }) {
  if (words[0] === 'db_version') return printMigrateVersion(ctx, 'keystone');
  if (words[0] !== 'db_sync') return unknown(ctx, words);
  if (flags.has('--extension')) {
    throw new Refusal(`${ctx.command} (lab ${ctx.release}): extension migrations have moved to core; run db_sync without --extension`);
  }
  migrateSync(ctx, args, 'keystone', words[1]);
  if (ctx.release === 'newton') {
    // The Newton offline sync registers the expand, data-migration and contract repositories after the legacy one.
    for (const [repository, version] of Object.entries(ctx.schema.keystoneNewtonRepos)) {
      writeMigrateVersion(ctx, 'keystone', repository, version);
    }
  }
}

function glanceManage(ctx, args, { words }) {
  const sub = words[0] === 'db' ? `db_${words[1]}` : words[0];
  if (sub === 'db_version') return printMigrateVersion(ctx, 'glance');
  if (sub === 'db_sync' || sub === 'db_upgrade') return migrateSync(ctx, args, 'glance', words[0] === 'db' ? words[2] : words[1]);
  return unknown(ctx, words);
}

function heatManage(ctx, args, { words }) {
  if (words[0] === 'db_version') return printMigrateVersion(ctx, 'heat');
  if (words[0] === 'db_sync') return migrateSync(ctx, args, 'heat', words[1]);
  return unknown(ctx, words);
}

function cinderManage(ctx, args, { words, values }) {
  if (words[0] === 'db' && words[1] === 'version') return printMigrateVersion(ctx, 'cinder');
  if (words[0] === 'db' && words[1] === 'sync') return migrateSync(ctx, args, 'cinder', words[2]);
  if (words[0] === 'service' && words[1] === 'list') {
    for (const [binary, host] of ctx.sql('SELECT `binary`, host FROM services WHERE deleted = 0 ORDER BY id', 'cinder')) {
      process.stdout.write(`${binary}\t${host}\n`);
    }
    return;
  }
  if (words[0] === 'service' && words[1] === 'remove' && words.length === 4) {
    const [, , binary, host] = words;
    const where = `\`binary\` = ${quote(binary)} AND host = ${quote(host)}`;
    if (ctx.sql(`SELECT id FROM services WHERE ${where}`, 'cinder').length === 0) {
      throw new Refusal(`Host not found: ${binary} on ${host}`, 2);
    }
    ctx.sql(`DELETE FROM services WHERE ${where}`, 'cinder');
    ctx.record(args, `cinder service ${binary} on ${host} removed`);
    process.stdout.write(`Service ${binary} on host ${host} removed.\n`);
    return;
  }
  if (words[0] === 'volume' && words[1] === 'update_host' && words.length === 2) {
    return volumeUpdateHost(ctx, args, values.get('--currenthost'), values.get('--newhost'));
  }
  return unknown(ctx, words);
}

/** Moves the volumes (not deleted) of host `current`, or of one of its pools (`current#pool`), to `next`, keeping the pool. */
function volumeUpdateHost(ctx, args, current, next) {
  if (!current || !next) {
    throw new Refusal(`${ctx.command}: volume update_host: error: the following arguments are required: --currenthost, --newhost`, 2);
  }
  const like = `${current.replace(/\\/g, '\\\\').replace(/[%_]/g, '\\$&')}#%`;
  const where = `deleted = 0 AND (host = ${quote(current)} OR host LIKE ${quote(like)})`;
  const count = Number(ctx.sql(`SELECT COUNT(*) FROM volumes WHERE ${where}`, 'cinder')[0][0]);
  ctx.sql(`UPDATE volumes SET host = CONCAT(${quote(next)}, SUBSTRING(host, ${current.length + 1})) WHERE ${where}`, 'cinder');
  ctx.record(args, `${count} cinder volumes moved from ${current} to ${next}`);
}

function novaManage(ctx, args, { words, flags }) {
  const [group, sub] = words;
  if (ctx.release === 'kilo') {
    if (group === 'db' && sub === 'migrate_flavor_data') return migrateFlavorData(ctx, args, flags.has('--force'));
    return unknown(ctx, words);
  }
  if (group === 'db' && sub === 'version') return printMigrateVersion(ctx, 'nova');
  if (group === 'db' && sub === 'sync') {
    if (ctx.release === 'liberty') enforceFlavorsMigrated(ctx, args);
    return migrateSync(ctx, args, 'nova', words[2]);
  }
  if (group === 'db' && sub === 'null_instance_uuid_scan') return nullInstanceUuidScan(ctx, args, flags.has('--delete'));
  if (group === 'db' && sub === 'online_data_migrations') {
    if (ctx.release === 'liberty') throw new Refusal(`${ctx.command} (lab liberty): no such command: db online_data_migrations`, 2);
    ctx.record(args, 'online data migrations complete');
    process.stdout.write('Running batches of 50 until complete\n');
    return;
  }
  if (group === 'api_db' && sub === 'version') {
    const spec = ctx.schema.novaApi;
    const current = readMigrateVersion(ctx, spec.database, spec.repository);
    process.stdout.write(`${current ?? 0}\n`);
    return;
  }
  if (group === 'api_db' && sub === 'sync') return apiDbSync(ctx, args);
  return unknown(ctx, words);
}

/** Live instances whose flavor is still only in instance_system_metadata (the query of Liberty's migration 291). */
const UNMIGRATED_FLAVORS = "FROM instance_system_metadata s JOIN instances i ON i.uuid = s.instance_uuid " +
  "WHERE s.`key` = 'instance_type_id' AND s.deleted <> s.id AND i.deleted <> i.id";

/** Liberty's blocker 291: migrations 281-290 apply, then it refuses while flavors are unmigrated. */
function enforceFlavorsMigrated(ctx, args) {
  const spec = ctx.schema.migrate.nova;
  const current = readMigrateVersion(ctx, spec.database, spec.repository);
  if (current === undefined || current < spec.versions.kilo || current >= 291) return;
  const count = Number(ctx.sql(`SELECT COUNT(*) ${UNMIGRATED_FLAVORS}`, 'nova')[0][0]);
  if (count === 0) return;
  writeMigrateVersion(ctx, spec.database, spec.repository, 290);
  ctx.record(args, `nova ${current} -> 290, stopped at 291: ${count} unmigrated flavor records`);
  throw new Refusal(`${ctx.command} (lab liberty): There are still ${count} unmigrated flavor records. Migration cannot continue ` +
    'until all instance flavor records have been migrated to the new format. Please run `nova-manage db migrate_flavor_data\' first.');
}

/** Kilo's flavor migration: the flavor moves from system metadata into instance_extra.flavor. */
function migrateFlavorData(ctx, args, force) {
  const rows = ctx.sql(`SELECT i.uuid, IFNULL(i.task_state, '') ${UNMIGRATED_FLAVORS} ORDER BY i.id`, 'nova');
  let done = 0;
  for (const [uuid, taskState] of rows) {
    // Without --force, Kilo leaves instances with a task in progress alone.
    if (taskState !== '' && !force) continue;
    const keys = ctx.sql(`SELECT \`key\`, IFNULL(value, '') FROM instance_system_metadata WHERE instance_uuid = ${quote(uuid)} ` +
      "AND `key` LIKE 'instance\\_type\\_%' AND deleted = 0", 'nova');
    const flavor = JSON.stringify({ cur: Object.fromEntries(keys.map(([key, value]) => [key.slice('instance_type_'.length), value])), old: null, new: null });
    ctx.sql(`UPDATE instance_extra SET flavor = ${quote(flavor)} WHERE instance_uuid = ${quote(uuid)}`, 'nova');
    ctx.sql(`UPDATE instance_system_metadata SET deleted = id, deleted_at = UTC_TIMESTAMP() WHERE instance_uuid = ${quote(uuid)} ` +
      "AND `key` LIKE 'instance\\_type\\_%' AND deleted = 0", 'nova');
    done++;
  }
  process.stdout.write(`${rows.length} instances matched query, ${done} completed\n`);
  ctx.record(args, `${done} of ${rows.length} instances' flavor data migrated`);
}

function nullInstanceUuidScan(ctx, args, remove) {
  const tables = ctx.sql("SELECT TABLE_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 'nova' " +
    "AND COLUMN_NAME = 'instance_uuid' AND IS_NULLABLE = 'YES' ORDER BY TABLE_NAME").map((row) => row[0]);
  let total = 0;
  for (const table of ['instances', ...tables]) {
    const column = table === 'instances' ? 'uuid' : 'instance_uuid';
    const count = Number(ctx.sql(`SELECT COUNT(*) FROM \`${table}\` WHERE \`${column}\` IS NULL`, 'nova')[0][0]);
    if (count === 0) continue;
    total += count;
    process.stdout.write(`There are ${count} records in the ${table} table where the uuid or instance_uuid column is NULL.\n`);
    if (remove) ctx.sql(`DELETE FROM \`${table}\` WHERE \`${column}\` IS NULL`, 'nova');
  }
  if (total === 0) process.stdout.write('There were no records found where instance_uuid was NULL.\n');
  else if (remove) process.stdout.write(`Deleted ${total} records where instance_uuid was NULL.\n`);
  ctx.record(args, `${total} null instance_uuid rows${remove ? ' deleted' : ''}`);
}

function apiDbSync(ctx, args) {
  const spec = ctx.schema.novaApi;
  const target = spec.versions[ctx.release];
  const from = spec.versions[ctx.previous];
  if (!ctx.databaseExists(spec.database)) ctx.sql(`CREATE DATABASE \`${spec.database}\` CHARACTER SET utf8`);
  ctx.sql('CREATE TABLE IF NOT EXISTS migrate_version (repository_id VARCHAR(250) NOT NULL PRIMARY KEY, ' +
    'repository_path TEXT, version INT) ENGINE=InnoDB', spec.database);
  const current = readMigrateVersion(ctx, spec.database, spec.repository);
  if (current === target) return ctx.record(args, `${spec.database} already at ${target}`);
  if (current !== undefined && current !== from) {
    throw new Refusal(`${ctx.command} (lab ${ctx.release}): database ${spec.database} is at version ${current}; ` +
      `${ctx.release} code upgrades only from ${from} (${ctx.previous}) to ${target}`);
  }
  writeMigrateVersion(ctx, spec.database, spec.repository, target);
  ctx.record(args, `${spec.database} ${current ?? 0} -> ${target}`);
}

function sortedRows(ctx, database, table) {
  if (!ctx.tableExists(database, table)) return [];
  return ctx.sql(`SELECT version_num FROM \`${table}\``, database).map((row) => row[0]).sort();
}

function replaceRows(ctx, database, table, rows) {
  ctx.sql(`CREATE TABLE IF NOT EXISTS \`${table}\` (version_num VARCHAR(32) NOT NULL PRIMARY KEY) ENGINE=InnoDB`, database);
  ctx.sql(`DELETE FROM \`${table}\``, database);
  ctx.sql(`INSERT INTO \`${table}\` (version_num) VALUES ${rows.map((row) => `(${quote(row)})`).join(', ')}`, database);
}

function sameRows(a, b) {
  return a.length === b.length && [...a].sort().every((value, i) => value === [...b].sort()[i]);
}

function neutronDbManage(ctx, args, { words }) {
  const spec = ctx.schema.neutron;
  if (words[0] === 'current') {
    for (const table of ['alembic_version', ...Object.keys(spec.subprojects)]) {
      for (const row of sortedRows(ctx, spec.database, table)) process.stdout.write(`${row}\n`);
    }
    return;
  }
  const milestone = words[1];
  if (words[0] !== 'upgrade' || !(milestone === 'heads' || milestone === 'head' || milestone === ctx.release)) {
    return unknown(ctx, words);
  }
  if (!ctx.databaseExists(spec.database)) throw new Refusal(`${ctx.command} (lab ${ctx.release}): no ${spec.database} database`);
  const current = sortedRows(ctx, spec.database, 'alembic_version');
  const target = spec.heads[ctx.release];
  const from = spec.heads[ctx.previous];
  if (sameRows(current, target)) {
    ctx.record(args, `neutron already at ${target.join(',')}`);
  } else if (!sameRows(current, from)) {
    throw new Refusal(`${ctx.command} (lab ${ctx.release}): alembic_version holds ${current.join(', ') || 'no rows'}; ` +
      `${ctx.release} code upgrades only from ${from.join(', ')} (${ctx.previous}). ` +
      `Can't locate revision: run the ${ctx.previous} migrations first`);
  } else {
    replaceRows(ctx, spec.database, 'alembic_version', target);
    ctx.record(args, `neutron ${from.join(',')} -> ${target.join(',')}`);
  }
  // `upgrade heads` also upgrades every sub-project installed in the venv (lbaas, fwaas, vpnaas) from Liberty on.
  for (const [table, heads] of Object.entries(spec.subprojects)) replaceRows(ctx, spec.database, table, heads[ctx.release]);
  process.stdout.write(`  Running upgrade for neutron ...\n  OK\n`);
}

/** aodh and ironic are new to an OSA Kilo cloud: an absent database is created and stamped; otherwise release by release. */
function alembicService(ctx, args, service) {
  const spec = ctx.schema[service];
  const target = spec.heads[ctx.release];
  if (!ctx.databaseExists(spec.database)) {
    ctx.sql(`CREATE DATABASE \`${spec.database}\` CHARACTER SET utf8`);
    replaceRows(ctx, spec.database, 'alembic_version', target);
    ctx.record(args, `${spec.database} created at ${target.join(',')}`);
    return;
  }
  const current = sortedRows(ctx, spec.database, 'alembic_version');
  const from = spec.heads[ctx.previous];
  if (sameRows(current, target)) return ctx.record(args, `${spec.database} already at ${target.join(',')}`);
  if (from === undefined || !sameRows(current, from)) {
    throw new Refusal(`${ctx.command} (lab ${ctx.release}): ${spec.database} alembic_version holds ${current.join(', ') || 'no rows'}; ` +
      `${ctx.release} code upgrades only from ${(from ?? ['(a new database)']).join(', ')}`);
  }
  replaceRows(ctx, spec.database, 'alembic_version', target);
  ctx.record(args, `${spec.database} ${from.join(',')} -> ${target.join(',')}`);
}

const COMMANDS = {
  'keystone-manage': keystoneManage,
  'glance-manage': glanceManage,
  'cinder-manage': cinderManage,
  'nova-manage': novaManage,
  'neutron-db-manage': neutronDbManage,
  'heat-manage': heatManage,
  'aodh-dbsync': (ctx, args) => alembicService(ctx, args, 'aodh'),
  'ironic-dbsync': (ctx, args, { words }) => (words[0] === 'upgrade' ? alembicService(ctx, args, 'ironic') : unknown(ctx, words)),
};

function run(scriptPath, argv) {
  try {
    if (argv.includes('--help') || argv.includes('-h')) {
      // What leap's venv checks ask: the command exists and starts; like the real one it touches nothing.
      process.stdout.write(`usage: ${basename(scriptPath)} [options] <command> (leap lab stand-in)\n`);
      process.exitCode = COMMANDS[basename(scriptPath)] === undefined ? 2 : 0;
      return;
    }
    const ctx = createContext(scriptPath);
    const handler = COMMANDS[ctx.command];
    if (handler === undefined) throw new Refusal(`${ctx.command}: not a lab stand-in command`, 2);
    handler(ctx, argv, parseArgs(argv));
    process.exitCode = 0;
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exitCode = error.exitCode;
  }
}

module.exports = { run };
