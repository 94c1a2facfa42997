import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { expect } from 'vitest';
import { markerDirOf } from '../support/lab.js';
import type { MatrixCase } from './case.js';
import { append, databaseUnreachable, deployFile, editJson, replaceIn } from './edit.js';
import { heavy } from '../support/settings.js';
import { deadPid, liveProcess, writeRunLock } from './lock-holders.js';

/** What the first run of a leap records even when its first step fails: the source and the plan, and the journal. */
const FIRST_RUN = {
  paths: [/upgrade-leap\/leap\.json$/],
  why: 'the first run records leap.json (source and plan) before its first step fails',
};
/** A failure in git/checkout: the preflight step before it completed. */
const AFTER_PREFLIGHT = {
  paths: [/upgrade-leap\/(leap\.json|preflight\+checks\.complete)$/],
  why: 'the preflight step completed and leap.json was written',
};
const PREFLIGHT = ['LEAP_PREFLIGHT_FAILED', 'failed at step preflight/checks'];

/** A YAML syntax error: an unclosed flow sequence at the end of the file. */
const unclosed = 'leap_reliability_broken: [\n';

function configFileCase(
  name: string,
  file: string,
  arrange: (path: string) => void,
  code: string,
  hint: RegExp,
): MatrixCase {
  return {
    name,
    arrange: ({ lab }) => arrange(deployFile(lab, file)),
    exitCode: 1,
    codes: [...PREFLIGHT, code],
    names: [`<lab>/etc/openstack_deploy/${file}`],
    hint,
    changes: FIRST_RUN,
  };
}

let holder: ResultPromise | undefined;

export const freshLabCases: MatrixCase[] = [
  // leap.yaml
  {
    name: 'leap.yaml: malformed YAML',
    arrange: ({ lab }) => append(lab.paths.leapYaml, unclosed),
    exitCode: 2,
    codes: ['LEAP_CONFIG_YAML'],
    names: ['<lab>/leap.yaml'],
    hint: /fix the YAML syntax/,
  },
  {
    name: 'leap.yaml: a duplicate key next to the database password (the error must not quote it)',
    arrange: ({ lab }) =>
      replaceIn(
        lab.paths.leapYaml,
        /^ {2}password: ""$/m,
        '  password: "Reliability-DB-Secret-42"\n  password: "again-and-again"',
      ),
    secrets: () => ['Reliability-DB-Secret-42', 'again-and-again'],
    exitCode: 2,
    codes: ['LEAP_CONFIG_YAML'],
    names: ['<lab>/leap.yaml:'],
    hint: /fix the YAML syntax/,
  },
  {
    name: 'leap.yaml: a wrong type (target: 14)',
    arrange: ({ lab }) => replaceIn(lab.paths.leapYaml, /^target: .*$/m, 'target: 14'),
    exitCode: 2,
    codes: ['LEAP_CLI_CONFIG_INVALID'],
    names: ['<lab>/leap.yaml', 'target'],
    hint: /leap config schema/,
  },
  {
    name: 'leap.yaml: an unknown key',
    arrange: ({ lab }) => append(lab.paths.leapYaml, 'deploy_dir: /etc/openstack_deploy\n'),
    exitCode: 2,
    codes: ['LEAP_CLI_CONFIG_INVALID'],
    names: ['<lab>/leap.yaml', 'deploy_dir'],
    hint: /leap config schema/,
  },
  {
    name: '--config names a missing file',
    arrange: () => undefined,
    args: ({ lab }) => ['--config', join(lab.dir, 'no-such-leap.yaml'), 'run', '--confirm-source', 'kilo', '--plain'],
    exitCode: 2,
    codes: ['LEAP_CONFIG_UNREADABLE'],
    names: ['<lab>/no-such-leap.yaml'],
    hint: /--config/,
  },
  // the deployment's configuration files, checked by the preflight step before anything changes
  configFileCase(
    'openstack_user_config.yml: malformed YAML',
    'openstack_user_config.yml',
    (f) => append(f, unclosed),
    'LEAP_YAML_SYNTAX',
    /fix the YAML at line/,
  ),
  configFileCase(
    'openstack_user_config.yml: a wrong type (used_ips: 5)',
    'openstack_user_config.yml',
    (f) => replaceIn(f, /^used_ips:\n( {2}- .*\n)+/m, 'used_ips: 5\n'),
    'LEAP_CONFIG_INVALID',
    /fix the key/,
  ),
  configFileCase(
    'openstack_user_config.yml: a required key missing (cidr_networks)',
    'openstack_user_config.yml',
    (f) => replaceIn(f, /^cidr_networks:\n( {2}.*\n)+/m, ''),
    'LEAP_CONFIG_INVALID',
    /fix the key/,
  ),
  configFileCase(
    'openstack_user_config.yml: a duplicate key',
    'openstack_user_config.yml',
    (f) => append(f, 'cidr_networks:\n  container: 10.0.0.0/24\n'),
    'LEAP_YAML_SYNTAX',
    /fix the YAML at line/,
  ),
  configFileCase(
    'conf.d/logging.yml: malformed YAML',
    'conf.d/logging.yml',
    (f) => append(f, unclosed),
    'LEAP_YAML_SYNTAX',
    /fix the YAML at line/,
  ),
  configFileCase(
    'env.d/nova.yml: malformed YAML',
    'env.d/nova.yml',
    (f) => append(f, unclosed),
    'LEAP_YAML_SYNTAX',
    /fix the YAML at line/,
  ),
  configFileCase(
    'env.d/nova.yml: a wrong type (component_skel: 5)',
    'env.d/nova.yml',
    (f) => replaceIn(f, /^component_skel:$/m, 'component_skel: 5\nleap_reliability_moved:'),
    'LEAP_ENVD_INVALID',
    /component_skel/,
  ),
  configFileCase(
    'user_variables.yml: malformed YAML',
    'user_variables.yml',
    (f) => append(f, unclosed),
    'LEAP_YAML_SYNTAX',
    /fix the YAML at line/,
  ),
  configFileCase(
    'user_variables.yml: a duplicate key',
    'user_variables.yml',
    (f) => append(f, 'debug: true\n'),
    'LEAP_YAML_SYNTAX',
    /fix the YAML at line/,
  ),
  configFileCase(
    'user_extras_variables.yml: malformed YAML',
    'user_extras_variables.yml',
    (f) => append(f, unclosed),
    'LEAP_YAML_SYNTAX',
    /fix the YAML at line/,
  ),
  configFileCase(
    'user_secrets.yml: malformed YAML',
    'user_secrets.yml',
    (f) => append(f, unclosed),
    'LEAP_YAML_SYNTAX',
    /fix the YAML at line/,
  ),
  configFileCase(
    'user_extras_secrets.yml: a duplicate key',
    'user_extras_secrets.yml',
    (f) => append(f, 'maas_api_key: 0123456789abcdef0123456789abcdef\n'),
    'LEAP_YAML_SYNTAX',
    /fix the YAML at line/,
  ),
  configFileCase(
    'openstack_inventory.json: truncated',
    'openstack_inventory.json',
    (f) => truncateSync(f, 4000),
    'LEAP_INVENTORY_JSON',
    /restore openstack_inventory\.json/,
  ),
  configFileCase(
    'openstack_inventory.json: valid JSON, invalid inventory (_meta missing)',
    'openstack_inventory.json',
    (f) =>
      editJson(f, (inventory) => {
        delete inventory._meta;
      }),
    'LEAP_INVENTORY_INVALID',
    /restore openstack_inventory\.json/,
  ),
  {
    name: 'openstack_inventory.json: a hostname collision once "_" becomes "-"',
    arrange: ({ lab }) =>
      editJson(deployFile(lab, 'openstack_inventory.json'), (inventory) => {
        const hostvars = (inventory._meta as { hostvars: Record<string, Record<string, unknown>> }).hostvars;
        for (const name of ['compute_9', 'compute-9']) hostvars[name] = { ...hostvars.compute1, container_name: name };
        (inventory.compute_hosts as { hosts: string[] }).hosts.push('compute_9', 'compute-9');
      }),
    exitCode: 1,
    codes: [...PREFLIGHT, 'LEAP_HOSTNAME_COLLISION'],
    names: ['host: compute_9', 'compute-9'],
    hint: /rename one of the hosts/,
    changes: FIRST_RUN,
  },
  // vault
  {
    name: 'user_secrets.yml vault-encrypted, no vault password',
    arrange: async ({ lab, scratch }) => {
      writeFileSync(join(scratch, 'vault-password'), 'Vault-Password-Right-1\n');
      await execa('ansible-vault', [
        'encrypt',
        '--vault-password-file',
        join(scratch, 'vault-password'),
        deployFile(lab, 'user_secrets.yml'),
      ]);
    },
    secrets: () => ['Vault-Password-Right-1'],
    exitCode: 1,
    codes: PREFLIGHT,
    names: ['user_secrets.yml is vault-encrypted'],
    hint: /ANSIBLE_VAULT_PASSWORD_FILE/,
    changes: FIRST_RUN,
  },
  {
    name: 'user_secrets.yml vault-encrypted, a wrong vault password',
    arrange: async ({ lab, scratch }) => {
      writeFileSync(join(scratch, 'vault-password'), 'Vault-Password-Right-1\n');
      writeFileSync(join(scratch, 'wrong-password'), 'Vault-Password-Wrong-2\n');
      await execa('ansible-vault', [
        'encrypt',
        '--vault-password-file',
        join(scratch, 'vault-password'),
        deployFile(lab, 'user_secrets.yml'),
      ]);
      append(lab.paths.leapYaml, `vaultPasswordFile: ${join(scratch, 'wrong-password')}\n`);
    },
    secrets: () => ['Vault-Password-Right-1', 'Vault-Password-Wrong-2'],
    exitCode: 1,
    codes: [...PREFLIGHT, 'LEAP_VAULT_FAILED'],
    names: ['<lab>/etc/openstack_deploy/user_secrets.yml'],
    hint: /holds the vault password/,
    changes: FIRST_RUN,
  },
  // the release file
  {
    name: 'release file missing',
    arrange: ({ lab }) => rmSync(lab.paths.releaseFile),
    exitCode: 2,
    codes: ['LEAP_RELEASE_FILE'],
    names: ['<lab>/etc/openstack-release'],
    hint: /--release-file/,
  },
  {
    name: 'release file without DISTRIB_RELEASE',
    arrange: ({ lab }) => replaceIn(lab.paths.releaseFile, /^DISTRIB_RELEASE=.*\n/m, ''),
    exitCode: 2,
    codes: ['LEAP_RELEASE_FILE'],
    names: ['<lab>/etc/openstack-release'],
    hint: /DISTRIB_RELEASE=/,
  },
  {
    name: 'release file names an unknown release',
    arrange: ({ lab }) => replaceIn(lab.paths.releaseFile, /r11\.1\.18/, 'r99.1.0'),
    exitCode: 2,
    codes: ['LEAP_RELEASE_UNKNOWN'],
    names: ['<lab>/etc/openstack-release', 'r99.1.0'],
    hint: /RPCO tags/,
  },
  {
    name: 'release file names an older Kilo release',
    arrange: ({ lab }) => replaceIn(lab.paths.releaseFile, /r11\.1\.18/, 'r11.1.5'),
    exitCode: 1,
    codes: PREFLIGHT,
    names: ['<lab>/etc/openstack-release', 'r11.1.5'],
    hint: /upgrade the cloud to r11\.1\.18/,
    changes: FIRST_RUN,
  },
  {
    name: 'release file says Newton already',
    arrange: ({ lab }) => replaceIn(lab.paths.releaseFile, /r11\.1\.18/, 'r14.1.0'),
    exitCode: 2,
    codes: ['LEAP_ALREADY_AT_TARGET'],
    names: ['<lab>/etc/openstack-release'],
    hint: /nothing to leap from/,
  },
  // the marker folder
  {
    name: 'a corrupt marker',
    arrange: ({ lab }) => {
      mkdirSync(markerDirOf(lab), { recursive: true });
      writeFileSync(join(markerDirOf(lab), 'preflight+checks.complete'), '{"format": "leap-marker/1", "step": "pre');
    },
    exitCode: 2,
    codes: ['LEAP_MARKER_CORRUPT'],
    names: ['<lab>/etc/openstack_deploy/upgrade-leap/preflight+checks.complete', 'preflight/checks'],
    hint: /delete it/,
  },
  {
    name: 'a corrupt leap.json',
    arrange: ({ lab }) => {
      mkdirSync(markerDirOf(lab), { recursive: true });
      writeFileSync(join(markerDirOf(lab), 'leap.json'), '{"format": "leap-plan/1", "sou');
    },
    exitCode: 2,
    codes: ['LEAP_PLAN_HEADER_CORRUPT'],
    names: ['<lab>/etc/openstack_deploy/upgrade-leap/leap.json'],
    hint: /source release/,
  },
  {
    name: 'the run lock held by a live leap',
    arrange: ({ lab }) => {
      holder = liveProcess();
      writeRunLock(markerDirOf(lab), { pid: holder.pid!, command: 'leap run (the other operator)' }, new Date());
    },
    undo: async () => {
      holder?.kill('SIGKILL');
      await holder;
    },
    exitCode: 3,
    codes: ['LEAP_LOCKED'],
    names: ['<lab>/etc/openstack_deploy/upgrade-leap/leap.lock', 'leap run (the other operator)', 'pid '],
    hint: /only one leap may run/,
  },
  {
    name: 'a stale run lock left by a killed leap',
    arrange: async ({ lab }) =>
      writeRunLock(
        markerDirOf(lab),
        { pid: await deadPid(), command: 'leap run (killed)' },
        new Date(Date.now() - 3600_000),
      ),
    exitCode: 3,
    codes: ['LEAP_LOCK_STALE'],
    names: ['leap.lock.json', 'leap run (killed)'],
    hint: /--force-unlock/,
  },
  // git
  {
    // The lab's Kilo checkout already carries uncommitted work; this case adds a change of its own to look for.
    name: 'rpc-openstack: a dirty checkout is backed up, then the leap proceeds (stopped at db/health by an unreachable database)',
    arrange: ({ lab }) => {
      append(join(lab.paths.rpcoDir, 'README.md'), '\nOperator note: leap-reliability-local-change\n');
      writeFileSync(join(lab.paths.rpcoDir, 'operator-notes.txt'), 'untracked operator work\n');
      databaseUnreachable(lab);
    },
    exitCode: 1,
    codes: ['LEAP_DB_REFUSED', 'failed at step db/health'],
    names: ['host: 127.0.0.1:9'],
    hint: /MariaDB is running/,
    changes: {
      paths: [
        /^opt\/rpc-openstack\//,
        /^openstack\/backup\/leap\/(git|config)\//,
        /^etc\/openstack_deploy\/user_[a-z_]+\.yml$/,
        /upgrade-leap\/(leap\.json|(preflight\+checks|git\+checkout|git\+bootstrap-ansible|config\+required-variables|pre-leap\+rpco-kilo-cleanup)\.complete)$/,
      ],
      why: 'the first five steps ran: the checkout moved to r14.1.0 after its local work was saved, its Ansible was bootstrapped, the required variables were set and the RPCO Kilo modifications removed (each edited file backed up)',
    },
    verify: async ({ lab }) => {
      const git = (args: string[]) => execa('git', ['-C', lab.paths.rpcoDir, ...args]).then((r) => r.stdout.trim());
      expect(await git(['rev-parse', 'HEAD'])).toBe(lab.git.rpco.target);
      expect(await git(['status', '--porcelain'])).toBe('');
      const backups = join(lab.paths.backupDir, 'leap', 'git');
      const [stamp] = readdirSync(backups);
      const saved = readdirSync(join(backups, stamp!), { recursive: true, encoding: 'utf8' })
        .map((name) => join(backups, stamp!, name))
        .filter((file) => statSync(file).isFile());
      expect(
        saved.some((file) => readFileSync(file, 'utf8').includes('leap-reliability-local-change')),
        'the local change in the git backup',
      ).toBe(true);
      const manifest = JSON.parse(readFileSync(join(backups, stamp!, 'manifest.json'), 'utf8')) as {
        repos: Array<{ path: string; untracked: string[] }>;
      };
      expect(manifest.repos.find((repo) => repo.path === '.')?.untracked).toContain('operator-notes.txt');
    },
  },
  {
    name: 'rpc-openstack: the target tag missing (locally and on the remote)',
    arrange: async ({ lab }) => {
      await execa('git', ['-C', lab.paths.rpcoDir, 'tag', '-d', 'r14.1.0']);
      await execa('git', ['-C', join(lab.dir, 'git', 'rpc-openstack.git'), 'tag', '-d', 'r14.1.0']);
    },
    exitCode: 1,
    codes: ['LEAP_GIT_TAG_MISSING', 'failed at step git/checkout'],
    names: ['<lab>/opt/rpc-openstack', 'r14.1.0'],
    hint: /ls-remote --tags/,
    changes: AFTER_PREFLIGHT,
  },
  {
    name: 'rpc-openstack: the openstack-ansible submodule not initialised',
    arrange: async ({ lab }) => {
      await execa('git', ['-C', lab.paths.rpcoDir, 'submodule', 'deinit', '-f', 'openstack-ansible']);
    },
    exitCode: 1,
    codes: ['LEAP_GIT_SUBMODULE_UNINITIALISED', 'failed at step git/checkout'],
    names: ['<lab>/opt/rpc-openstack', 'openstack-ansible'],
    hint: /submodule update --init/,
    changes: AFTER_PREFLIGHT,
  },
  {
    name: 'rpc-openstack: fetch failing for good (the remote is gone)',
    arrange: async ({ lab }) => {
      await execa('git', [
        '-C',
        lab.paths.rpcoDir,
        'remote',
        'set-url',
        'origin',
        `file://${join(lab.dir, 'git', 'moved-away.git')}`,
      ]);
    },
    exitCode: 1,
    codes: ['LEAP_GIT_NETWORK_FAILED', 'failed at step git/checkout'],
    names: ['<lab>/opt/rpc-openstack', 'moved-away.git'],
    hint: /remote URL/,
    changes: AFTER_PREFLIGHT,
  },
  {
    name: 'rpc-openstack: fetch failing transiently until leap gives up (retried with backoff, about two minutes)',
    skipReason: () => (heavy ? undefined : 'slow: set LEAP_RELIABILITY_HEAVY=1 to run it'),
    arrange: async ({ lab }) => {
      await execa('git', [
        '-C',
        lab.paths.rpcoDir,
        'remote',
        'set-url',
        'origin',
        'http://127.0.0.1:9/rpc-openstack.git',
      ]);
    },
    exitCode: 1,
    codes: ['LEAP_GIT_NETWORK_GAVE_UP', 'failed at step git/checkout'],
    names: ['<lab>/opt/rpc-openstack', 'attempt'],
    hint: /rate limiting or unreachable/,
    changes: AFTER_PREFLIGHT,
  },
  // confirmations and other commands
  {
    name: 'confirmation 1 declined (the operator typed the wrong release)',
    arrange: () => undefined,
    args: ({ lab }) => ['--config', lab.paths.leapYaml, 'run', '--confirm-source', 'liberty', '--plain'],
    exitCode: 4,
    codes: ['LEAP_CONFIRMATION_DECLINED'],
    names: ['preflight/confirm-source', "'liberty'", "'kilo'"],
    hint: /answer 'kilo'/,
  },
  {
    name: 'confirmation 1 unanswered without a terminal',
    arrange: () => undefined,
    args: ({ lab }) => ['--config', lab.paths.leapYaml, 'run', '--plain'],
    exitCode: 2,
    codes: ['LEAP_CONFIRMATION_NEEDED'],
    names: ['preflight/confirm-source'],
    hint: /--confirm-source kilo/,
  },
  {
    name: 'leap f5 without a public VIP in the inventory',
    arrange: ({ lab }) =>
      editJson(deployFile(lab, 'openstack_inventory.json'), (inventory) => {
        delete (inventory.all as { vars: Record<string, unknown> }).vars.external_lb_vip_address;
      }),
    args: ({ lab }) => ['--config', lab.paths.leapYaml, 'f5', '--ssl-domain', 'example.com'],
    exitCode: 2,
    codes: ['LEAP_F5_PUBLIC_VIP_MISSING'],
    names: ['external_lb_vip_address'],
    hint: /--public-vip/,
  },
];
