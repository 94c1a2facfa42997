'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS script run by node directly */
// What the lab's stand-in `openstack` and `neutron` share with the real (cliff-based) clients: argument parsing,
// the refusal to run without credentials, `-f json` / `-c` output. Every call is logged to <lab>/openstack.log.

const { appendFileSync, readFileSync } = require('node:fs');
const { join } = require('node:path');
const { LAB_ROOT, Refusal, runCommand } = require('./lab-db.cjs');

/** The options that take no value; every other option does (`--name value` or `--name=value`). */
const FLAGS = new Set(['--disable', '--admin-state-down']);
const ALIASES = { '-f': '--format', '-c': '--column' };

function parseArgs(argv) {
  const words = [];
  const options = new Map();
  const flags = new Set();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('-')) {
      words.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const written = eq < 0 ? arg : arg.slice(0, eq);
    const name = ALIASES[written] ?? written;
    if (FLAGS.has(name)) {
      flags.add(name);
      continue;
    }
    if (eq < 0 && i + 1 >= argv.length) throw new Refusal(`argument ${written}: expected one argument`, 2);
    const value = eq < 0 ? argv[++i] : arg.slice(eq + 1);
    options.set(name, [...(options.get(name) ?? []), value]);
  }
  return { words, options, flags };
}

/** Refuses (exit 2, usage) options and flags the command does not take. */
function allowOnly(args, usage, options = [], flags = []) {
  const unknown = [...args.options.keys()].filter((name) => !options.includes(name));
  unknown.push(...[...args.flags].filter((name) => !flags.includes(name)));
  if (unknown.length > 0) throw new Refusal(`unrecognized arguments: ${unknown.join(' ')}\n${usage}`, 2);
}

/** Prints objects as cliff's `-f json` does, keeping the `-c` columns (in the command's column order). */
function printList(args, columns, items, usage) {
  const format = (args.options.get('--format') ?? ['table']).pop();
  if (format !== 'json') throw new Refusal(`this lab stand-in prints lists only with -f json, not ${format}\n${usage}`, 2);
  const wanted = args.options.get('--column') ?? [];
  const shown = wanted.length === 0 ? columns : columns.filter((column) => wanted.includes(column));
  if (shown.length === 0) throw new Refusal(`No recognized column names in ${JSON.stringify(wanted)}`, 2);
  const rows = items.map((item) => Object.fromEntries(shown.map((column) => [column, item[column]])));
  process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
}

/**
 * Like the real clients, refuses to run without OS_AUTH_URL, OS_USERNAME and OS_PASSWORD; and, like keystone,
 * refuses credentials other than the lab's (<lab>/clients/keystone.json, what the lab's openrc exports).
 */
function authenticate(missingMessages) {
  for (const [variable, message] of Object.entries(missingMessages)) {
    if (!process.env[variable]) throw new Refusal(message);
  }
  const keystone = JSON.parse(readFileSync(join(__dirname, 'keystone.json'), 'utf8'));
  if (process.env.OS_AUTH_URL !== keystone.authUrl) {
    throw new Refusal(`Unable to establish connection to ${process.env.OS_AUTH_URL}/auth/tokens (the lab's keystone is ${keystone.authUrl})`);
  }
  if (process.env.OS_USERNAME !== keystone.username || process.env.OS_PASSWORD !== keystone.password) {
    throw new Refusal('The request you have made requires authentication. (HTTP 401)');
  }
}

/**
 * Runs one client call: logs its arguments (never its environment); `resolve` maps them to the action (or refuses
 * them with the usage, before any authentication, as the real clients do); the action runs once authenticated.
 */
function runClient(command, argv, missingMessages, resolve) {
  appendFileSync(join(LAB_ROOT, 'openstack.log'), `${[command, ...argv].join(' ')}\n`);
  runCommand(() => {
    const action = resolve(parseArgs(argv));
    authenticate(missingMessages);
    action();
  });
}

module.exports = { allowOnly, printList, runClient };
