import { Command, CommanderError, Option } from '@commander-js/extra-typings';
import type { Io } from './output.js';
import { cliVersion } from './version.js';
import type { GlobalOptions } from './commands/shared.js';

export interface ProgramEnvironment {
  io: Io;
  /** Whether stdin and stdout are terminals (prompts and the task list need both). */
  isTty: boolean;
  /** How the operator invoked leap, for the resume hint. */
  argv: string[];
  /** Set by a command's action: the exit code main returns. */
  exitCode?: number;
}

/** Builds the command tree; command modules load only when their command runs, to keep start-up fast. */
export function buildProgram(env: ProgramEnvironment) {
  const program = globalProgram(env.io);
  registerPlan(program, env);
  registerRun(program, env);
  registerStatus(program, env);
  registerPreflight(program, env);
  registerReport(program, env);
  registerVerify(program, env);
  registerBackup(program, env);
  registerVenvs(program, env);
  registerRestore(program, env);
  registerInventory(program, env);
  registerF5(program, env);
  registerGalera(program, env);
  registerLab(program, env);
  registerConfig(program, env);
  return program;
}

/** `leap` itself: its version and the options every command takes. */
function globalProgram(io: Io) {
  return new Command()
    .name('leap')
    .description(
      'Leapfrog upgrades of OpenStack-Ansible clouds: RPCO Kilo -> r14.1.0 (Newton), skipping Liberty and Mitaka.',
    )
    .version(cliVersion(), '-V, --version', 'print the leap version')
    .option('--config <file>', 'leap.yaml; without it the production defaults apply')
    .option('--deploy-dir <dir>', 'the OSA configuration folder (default /etc/openstack_deploy)')
    .option('--rpco-dir <dir>', 'the rpc-openstack checkout (default /opt/rpc-openstack)')
    .option(
      '--marker-dir <dir>',
      'where step markers, leap.json and the journal live (default <deploy-dir>/upgrade-leap)',
    )
    .option('--backup-dir <dir>', 'where backups go (default /openstack/backup)')
    .option('--release-file <file>', 'the release file naming the source release (default /etc/openstack-release)')
    .option('--target <tag>', 'the RPCO release to leap to (default r14.1.0)')
    .option('--json', 'machine-readable output (JSONL events on stdout)')
    .option('--plain', 'plain line output, no TTY task list')
    .option('--debug', 'print stacks and debug details on errors')
    .option('--no-color', 'no colours (NO_COLOR is honoured too)')
    .option('--force-unlock', 'take over a run lock whose owner is provably dead, after printing its details')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
}

type Program = ReturnType<typeof globalProgram>;

const globals = (command: { optsWithGlobals(): unknown }) => command.optsWithGlobals() as GlobalOptions;

/** `leap plan`. */
function registerPlan(program: Program, env: ProgramEnvironment): void {
  const { io } = env;
  program
    .command('plan')
    .description(
      'the ordered steps of the leap for this deployment, what is done, and the point of no return; touches nothing',
    )
    .action(async (_options, command) => {
      const { showPlan } = await import('./commands/plan.js');
      env.exitCode = await showPlan(globals(command), io);
    });
}

/** `leap run` (alias `upgrade`). */
function registerRun(program: Program, env: ProgramEnvironment): void {
  const { io } = env;
  program
    .command('run')
    .alias('upgrade')
    .description('run or resume the leap')
    .addOption(
      new Option(
        '--confirm-source <release>',
        'answer confirmation 1 non-interactively with the source release (e.g. kilo)',
      ),
    )
    .option('--confirm-redeploy', 'answer confirmation 2 (before the re-deploy) non-interactively')
    .action(async (options, command) => {
      const { runLeap } = await import('./commands/run.js');
      (await import('./young-generation.js')).keepYoungGenerationSmall();
      env.exitCode = await runLeap(
        { ...globals(command), ...options },
        { io, isTty: env.isTty, resumeCommand: resumeCommandOf(env.argv) },
      );
    });
}

/** `leap status`. */
function registerStatus(program: Program, env: ProgramEnvironment): void {
  const { io } = env;
  program
    .command('status')
    .description("source, target, each step's state and duration, the last failure and its hint")
    .option('--verify', 're-check the postconditions of completed steps')
    .action(async (options, command) => {
      const { showStatus } = await import('./commands/status.js');
      env.exitCode = await showStatus({ ...globals(command), ...options }, io);
    });
}

/** `leap preflight`. */
function registerPreflight(program: Program, env: ProgramEnvironment): void {
  const { io } = env;
  program
    .command('preflight')
    .description(
      'the read-only checks: source release, vault, configuration and inventory, backup space, deploy host (the database is checked at db/health)',
    )
    .action(async (_options, command) => {
      const { runPreflight } = await import('./commands/preflight.js');
      env.exitCode = await runPreflight(globals(command), io);
    });
}

/** `leap verify`. */
function registerVerify(program: Program, env: ProgramEnvironment): void {
  const { io } = env;
  program
    .command('verify')
    .description(
      'the post-leap health report: Galera, nova and cinder services, neutron agents, ports in BUILD, routers on alive L3 agents; exit 1 naming each problem',
    )
    .action(async (_options, command) => {
      const { runVerify } = await import('./commands/verify.js');
      env.exitCode = await runVerify(globals(command), io);
    });
}

/** `leap report`. */
function registerReport(program: Program, env: ProgramEnvironment): void {
  const { io } = env;
  program
    .command('report')
    .description("the leap's report: steps and durations, schema versions, backups, rows purged, files changed")
    .option('--html', 'a self-contained HTML page with the timeline (written beside the markers unless --output)')
    .option('--output <file>', 'write the report to this file instead of standard output')
    .action(async (options, command) => {
      const { showReport } = await import('./commands/report.js');
      env.exitCode = await showReport({ ...globals(command), ...options }, io);
    });
}

/** `leap backup`. */
function registerBackup(program: Program, env: ProgramEnvironment): void {
  const { io } = env;
  program
    .command('backup')
    .description(
      'back up every database, each dump verified as it is written (loaded into a throwaway server, rows per table, sha256 read back)',
    )
    .action(async (_options, command) => {
      const { runBackup } = await import('./commands/backup.js');
      env.exitCode = await runBackup(globals(command), io);
    });
}

/** `leap venvs`. */
function registerVenvs(program: Program, env: ProgramEnvironment): void {
  const { io } = env;
  program
    .command('venvs')
    .description(
      "put each release's migration venv on the hosts that run its commands and check them (step venvs/prepare), ahead of the window",
    )
    .action(async (_options, command) => {
      const { runVenvs } = await import('./commands/venvs.js');
      env.exitCode = await runVenvs(globals(command), io);
    });
}

/** `leap restore`. */
function registerRestore(program: Program, env: ProgramEnvironment): void {
  const { io } = env;
  program
    .command('restore')
    .description('restore the databases from a verified backup: the way back before the point of no return')
    .argument('<manifest>', 'the manifest.json of a backup (or its folder)')
    .option('--database <name...>', 'only these databases')
    .option('--replace', 'replace databases that exist and hold tables (refused otherwise)')
    .action(async (manifest, options, command) => {
      const { runRestore } = await import('./commands/backup.js');
      env.exitCode = await runRestore(manifest, { ...globals(command), ...options }, io);
    });
}

/** `leap inventory check`. */
function registerInventory(program: Program, env: ProgramEnvironment): void {
  const { io } = env;
  program
    .command('inventory')
    .description("the deployment's inventory and configuration")
    .command('check')
    .description('validate the configuration and inventory, and check hostname compatibility; changes nothing')
    .action(async (_options, command) => {
      const { checkInventory } = await import('./commands/inventory-check.js');
      env.exitCode = await checkInventory(globals(command), io);
    });
}

/** `leap f5`. */
function registerF5(program: Program, env: ProgramEnvironment): void {
  const { io } = env;
  program
    .command('f5')
    .description('the F5 BIG-IP changes for this environment (monitors, pools, virtual servers) from its inventory')
    .option('--current <file>', "the device's current config (`tmsh list ltm` output): print a diff against it")
    .option('--from <release>', 'the release the F5 is set up for now', 'kilo')
    .option('--to <release>', 'the release to set it up for', 'newton')
    .option('--ssl-domain <name>', 'the domain of the SSL certificate for SSL virtual servers')
    .option('--public-vip <ip>', 'the public VIP (default external_lb_vip_address)')
    .option('--snat <ips>', 'SNAT pool addresses, comma-separated (default offset 15 of container_cidr)')
    .option('--partition <name>', 'the BIG-IP partition')
    .option('--config-sync-group <name>', 'the device group to config-sync after each phase')
    .option('--format <format>', 'tmsh, json or table')
    .action(async (options, command) => {
      const { runF5 } = await import('./commands/f5.js');
      env.exitCode = await runF5({ ...globals(command), ...options }, io);
    });
}

/** `leap galera status` and `leap galera recover`. */
function registerGalera(program: Program, env: ProgramEnvironment): void {
  const { io } = env;
  const galera = program
    .command('galera')
    .description('the Galera cluster: its state, and recovery when every node is down');
  galera
    .command('status')
    .description('per node: state, cluster size, cluster state UUID, conf id, last committed seqno')
    .action(async (_options, command) => {
      const { galeraStatusCommand } = await import('./commands/galera.js');
      env.exitCode = await galeraStatusCommand(globals(command), io);
    });
  galera
    .command('recover')
    .description(
      'bring back a cluster with every node down: bootstrap the most advanced node, then start the others one at a time',
    )
    .option('--dry-run', 'read the positions and print the plan; change nothing')
    .option('--force-node <name>', 'bootstrap this node whatever the positions say (when they are ambiguous)')
    .option(
      '--discard-newer-transactions',
      'with --force-node: agree to lose the committed transactions the plan lists for the nodes ahead of it (their Galera state is moved aside, they rejoin by full state transfer)',
    )
    .option('--yes', 'carry out the plan without asking (needed when not at a terminal)')
    .action(async (options, command) => {
      const { galeraRecoverCommand } = await import('./commands/galera.js');
      env.exitCode = await galeraRecoverCommand({ ...globals(command), ...options }, io, env.isTty);
    });
}

/** `leap lab create`, `leap lab destroy` and `leap lab fault`. */
function registerLab(program: Program, env: ProgramEnvironment): void {
  const { io } = env;
  const lab = program
    .command('lab')
    .description('a local Kilo lab to rehearse the leap on (needs @leap/lab: npm install -g @leap/lab)');
  lab
    .command('create')
    .description(
      'build a lab: git repos, /etc/openstack_deploy, a three-node Galera cluster on loopback, stand-in playbooks, leap.yaml',
    )
    .argument('<dir>', 'the folder to build it in')
    .option('--source <release>', 'kilo, liberty or mitaka', 'kilo')
    .option('--hosts <n>', 'number of physical hosts')
    .option('--seed <seed>', 'the same seed builds the same lab')
    .option('--from-deploy-dir <dir>', 'build it around a copy of this /etc/openstack_deploy')
    .option(
      '--single-db',
      'one MariaDB server without Galera instead of the cluster: faster, for tests that do not need it',
    )
    .action(async (dir, options, command) => {
      const { createLabCommand } = await import('./commands/lab.js');
      env.exitCode = await createLabCommand(dir, { ...options, json: globals(command).json === true }, io);
    });
  lab
    .command('destroy')
    .description("stop the lab's database servers and remove the lab folder")
    .argument('<dir>', 'the lab folder')
    .action(async (dir) => {
      const { destroyLabCommand } = await import('./commands/lab.js');
      env.exitCode = await destroyLabCommand(dir, io);
    });
  lab
    .command('fault')
    .description(
      'put a fault into a lab (stale-nova-service: a Kilo nova-conductor heartbeating again; ' +
        'kilo-nova-process: a Kilo nova-compute running on the first compute host; ' +
        'galera-down-after-redeploy: every Galera node killed once, after the re-deploy)',
    )
    .argument('<fault>', 'stale-nova-service, kilo-nova-process or galera-down-after-redeploy')
    .argument('<dir>', 'the lab folder')
    .action(async (fault, dir) => {
      const { labFaultCommand } = await import('./commands/lab.js');
      env.exitCode = await labFaultCommand(fault, dir, io);
    });
}

/** `leap config schema`. */
function registerConfig(program: Program, env: ProgramEnvironment): void {
  const { io } = env;
  program
    .command('config')
    .description('leap.yaml: print its JSON Schema')
    .command('schema')
    .description('print the JSON Schema of leap.yaml')
    .action(async () => {
      const { leapConfigJsonSchema } = await import('./config-schema.js');
      io.stdout(`${JSON.stringify(leapConfigJsonSchema(), null, 2)}\n`);
    });
}

/** The command that resumes a run: the same arguments, since a resumed run needs no confirmation 1. */
function resumeCommandOf(argv: string[]): string {
  return ['leap', ...argv].join(' ');
}

export { CommanderError };
