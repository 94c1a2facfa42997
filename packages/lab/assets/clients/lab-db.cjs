'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS script run by node directly */
// The lab database for the stand-in OpenStack clients: installed by `leap lab create` as <lab>/clients/, so the
// lab is the folder above and its database is the one <lab>/lab.json names (no environment needed).

const { existsSync, readFileSync } = require('node:fs');
const { join, resolve } = require('node:path');
const { spawnSync } = require('node:child_process');

const LAB_ROOT = resolve(__dirname, '..');

/** An expected failure: its message goes to stderr and the command exits with its code. */
class Refusal extends Error {
  constructor(message, exitCode = 1) {
    super(message);
    this.exitCode = exitCode;
  }
}

function quote(value) {
  return `'${String(value).replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function readLab() {
  const file = join(LAB_ROOT, 'lab.json');
  if (!existsSync(file)) throw new Refusal(`${file} is missing; this stand-in only runs inside a leap lab`);
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** Runs SQL (one or more statements) on the lab database; returns the rows, fields split on tabs. */
function sql(query) {
  const { database } = readLab();
  if (!existsSync(database.socket)) {
    throw new Refusal(`the lab database is not running (no socket at ${database.socket})`);
  }
  const args = ['--no-defaults', '-S', database.socket, '-u', database.user, '-N', '-B', '-e', query];
  const result = spawnSync(database.client, args, { encoding: 'utf8' });
  if (result.error) throw new Refusal(`cannot run ${database.client}: ${result.error.message}`);
  if (result.status !== 0) throw new Refusal(result.stderr.trim());
  return result.stdout.split('\n').filter((line) => line !== '').map((line) => line.split('\t'));
}

/** Runs `body` as the whole command: a Refusal becomes its message on stderr and its exit code. */
function runCommand(body) {
  try {
    body();
    process.exitCode = 0;
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exitCode = error.exitCode;
  }
}

module.exports = { LAB_ROOT, Refusal, quote, sql, runCommand };
