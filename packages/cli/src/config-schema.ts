import {
  array,
  formatIssues,
  boolean,
  integer,
  object,
  oneOf,
  optional,
  partialRecord,
  record,
  refine,
  string,
  union,
  unknownValue,
  withDefault,
  type Infer,
  type Issue,
} from './schema.js';

const text = (description?: string) => string(description === undefined ? {} : { description });
const argv = (description?: string) =>
  array(string(), { min: 1, ...(description === undefined ? {} : { description }) });
const absoluteOnHosts = { pattern: /^\//, patternMessage: 'must be an absolute path on the hosts' };

const migrationVenv = union(
  [
    string({ ...absoluteOnHosts, description: 'a folder already on the hosts; leap only checks its commands' }),
    refine(
      object(
        {
          sha256: string({
            typeMessage: 'must be a quoted string of 64 hexadecimal digits (unquoted digits are a YAML number)',
            pattern: /^[0-9a-fA-F]{64}$/,
            patternMessage: 'must be 64 hexadecimal digits',
          }),
          url: optional(text('default: <migrationVenvsBaseUrl>/openstack-ansible-<release>-eol.tgz')),
          file: optional(text('a tarball already on the deploy host, instead of a download')),
          path: optional(
            string({
              ...absoluteOnHosts,
              description: 'where it lives on the hosts; default /opt/openstack-ansible-<release>-eol',
            }),
          ),
        },
        { description: 'a tarball venvs/prepare fetches, checks, relocates and pushes' },
      ),
      [{ check: (v) => v.url === undefined || v.file === undefined, message: 'give url or file, not both' }],
    ),
  ],
  { description: 'the folder on the hosts that holds the venv, or a tarball to push there' },
);

const galeraNode = object({
  name: string({ minLength: 1 }),
  host: optional(string()),
  port: optional(integer({ positive: true })),
  socket: optional(string()),
  datadir: string(),
  start: argv('the argument array that starts mariadbd for this node on this machine'),
  env: withDefault(record(string()), () => ({})),
});

/** leap.yaml: everything that differs between deployments. Production needs no file at all. */
export const leapConfigSchema = object({
  deployDir: withDefault(text('the OSA configuration folder'), () => '/etc/openstack_deploy'),
  rpcoDir: withDefault(
    text('the rpc-openstack checkout, with openstack-ansible as its submodule'),
    () => '/opt/rpc-openstack',
  ),
  markerDir: optional(text('default: <deployDir>/upgrade-leap')),
  backupDir: withDefault(
    text('where database and configuration backups, logs and the migration venv downloads go'),
    () => '/openstack/backup',
  ),
  releaseFile: withDefault(
    text('the file naming the deployed release (DISTRIB_RELEASE)'),
    () => '/etc/openstack-release',
  ),
  target: withDefault(text('the RPCO release to leap to'), () => 'r14.1.0'),
  runner: withDefault(
    oneOf(['ansible', 'local'], {
      description:
        'where database and service commands run: through Ansible on the inventory hosts (production and the lab), or on this machine (tests only)',
    }),
    () => 'ansible' as const,
  ),
  database: withDefault(
    object(
      {
        host: optional(text('default: internal_lb_vip_address')),
        port: optional(integer({ positive: true, description: 'default 3306' })),
        socket: optional(text('a local socket instead of host and port')),
        user: optional(text('default root')),
        password: optional(text('default: galera_root_password from user_secrets.yml')),
        tools: optional(
          object(
            {
              dump: optional(text('default mariadb-dump, else mysqldump (MariaDB 10.0 / MySQL clients)')),
              client: optional(text('default mariadb, else mysql')),
              server: optional(
                text('mariadbd for the throwaway server that verifies backups; default mariadbd, else mysqld'),
              ),
              installDb: optional(text('default mariadb-install-db, else mysql_install_db')),
            },
            {
              description:
                'the database programs on this host, names looked up on PATH or absolute paths; found when absent',
            },
          ),
        ),
      },
      { description: 'discovered from the deployment (galera_root_password, internal_lb_vip_address) when absent' },
    ),
    () => ({}),
  ),
  ansible: withDefault(
    object({
      command: withDefault(argv('runs the OSA playbooks'), () => ['openstack-ansible']),
      execCommand: withDefault(
        argv('runs the one-task plays through which leap runs commands on hosts and containers'),
        () => ['ansible-playbook'],
      ),
      remotePython: withDefault(
        argv(
          "the Python on the hosts and containers that starts each command leap runs there (2.7 or 3), e.g. ['/usr/bin/python2.7']",
        ),
        () => ['python3'],
      ),
      inventory: optional(text("default: the deployment's dynamic inventory")),
      playbookDir: optional(text('default: <rpcoDir>/openstack-ansible/playbooks')),
      extraVars: withDefault(
        record(unknownValue(), { description: 'passed as -e to every playbook leap runs' }),
        () => ({}),
      ),
      env: withDefault(
        record(string(), { description: 'added to the environment of every Ansible command' }),
        () => ({}),
      ),
    }),
    () => ({
      command: ['openstack-ansible'],
      execCommand: ['ansible-playbook'],
      remotePython: ['python3'],
      extraVars: {},
      env: {},
    }),
  ),
  migrationVenvs: withDefault(
    refine(
      partialRecord(['kilo', 'liberty', 'mitaka', 'newton'], migrationVenv, {
        description:
          "per release, the venv whose bin/ holds that release's *-manage commands: a folder on the hosts, or a tarball to push (kilo: default folder /usr/local, Kilo's nova-manage in the nova containers)",
      }),
      [
        {
          check: (venvs) => venvs.kilo === undefined || typeof venvs.kilo === 'string',
          message: "kilo takes a folder (Kilo's own nova-manage in the nova containers), not a tarball",
          path: ['kilo'],
        },
      ],
    ),
    () => ({}),
  ),
  migrationVenvsBaseUrl: withDefault(
    text("where a migration venv tarball without url or file is downloaded from (upstream's VENV_URL)"),
    () => 'https://rpc-repo.rackspace.com/venvs/leap-bundles',
  ),
  runAsCommand: withDefault(
    refine(
      argv(
        'prefix that runs a migration command as its service user (neutron-db-manage as neutron); {user} is replaced',
      ),
      [{ check: (a) => a.includes('{user}'), message: 'must contain {user}' }],
    ),
    () => ['sudo', '-H', '-u', '{user}', '--'],
  ),
  git: withDefault(
    object({
      remote: withDefault(text('the remote the target tag is fetched from'), () => 'origin'),
      expected: optional(
        object(
          { rpco: text('commit of rpc-openstack'), osa: text('commit of its openstack-ansible submodule') },
          { description: 'the commits the target tag must resolve to (default: the known r14.1.0 SHAs)' },
        ),
      ),
    }),
    () => ({ remote: 'origin' }),
  ),
  housekeeping: withDefault(
    object({
      deletedOlderThanDays: withDefault(
        integer({ min: 0, description: 'soft-deleted rows older than this many days are purged' }),
        () => 90,
      ),
      batchSize: withDefault(integer({ positive: true, description: 'rows per purge transaction' }), () => 1000),
    }),
    () => ({ deletedOlderThanDays: 90, batchSize: 1000 }),
  ),
  vaultPasswordFile: optional(text('default: $ANSIBLE_VAULT_PASSWORD_FILE')),
  redeploy: withDefault(
    object({
      swift: withDefault(
        boolean({
          description:
            'deploy Newton Swift in the re-deploy (default true); false keeps the Swift containers and services as they are (upstream SKIP_SWIFT_UPGRADE)',
        }),
        () => true,
      ),
    }),
    () => ({ swift: true }),
  ),
  rpcAdditions: withDefault(
    object(
      {
        supportRole: optional(
          boolean({ description: "run RPC-O's rpc-support.yml after the re-deploy (r14.1.0's DEPLOY_SUPPORT_ROLE)" }),
        ),
        elk: optional(
          boolean({ description: "run RPC-O's setup-logging.yml after the re-deploy (r14.1.0's DEPLOY_ELK)" }),
        ),
        maas: optional(
          boolean({
            description: "run RPC-O's setup-maas.yml and verify-maas.yml after the re-deploy (r14.1.0's DEPLOY_MAAS)",
          }),
        ),
      },
      {
        description:
          'each unset switch is decided when its step runs, from what the Kilo deployment had: the support role always, ELK when the inventory has ELK containers, MaaS when a user file sets Rackspace cloud or MaaS credentials',
      },
    ),
    () => ({}),
  ),
  pipUnify: optional(
    object(
      {
        getPip: object(
          {
            file: text('get-pip.py on the deploy host (upstream: pypa/get-pip at 430ba37, which installs pip 9.0.1)'),
            sha256: string({
              typeMessage: 'must be a quoted string of 64 hexadecimal digits (unquoted digits are a YAML number)',
              pattern: /^[0-9a-fA-F]{64}$/,
              patternMessage: 'must be 64 hexadecimal digits',
            }),
          },
          { description: 'checked on the deploy host before the downtime and again on every host' },
        ),
        wheels: optional(
          text(
            'a folder on the deploy host with a wheel of every pinned package (and their dependencies): the hosts then install with --no-index; default: the index the hosts are configured with',
          ),
        ),
      },
      {
        description:
          "newton/redeploy/pip-unify: pip, setuptools and wheel of every physical host pinned to the target's global-requirement-pins.txt, and upstream's upgrade requirements installed (required for a leap to Newton)",
      },
    ),
  ),
  verify: withDefault(
    object({
      ignore: withDefault(
        array(string(), {
          description:
            'problems leap verify reports but does not fail on: each entry is matched as a substring of the problem, e.g. a compute host known to be down ("nova-compute on compute7 ")',
        }),
        () => [],
      ),
    }),
    () => ({ ignore: [] }),
  ),
  openstackClients: withDefault(
    object(
      {
        openrc: withDefault(
          text('the admin openrc on the first utility container, read for its OS_* variables (never sourced)'),
          () => '/root/openrc',
        ),
        openstack: withDefault(argv('python-openstackclient on the first utility container'), () => ['openstack']),
        neutron: withDefault(argv('python-neutronclient on the first utility container'), () => ['neutron']),
        cinderManage: optional(
          argv(
            "cinder-manage on the first cinder host (default: /openstack/venvs/cinder-<openstack_release>/bin/cinder-manage, openstack_release read from the target checkout's group_vars/all.yml)",
          ),
        ),
      },
      { description: 'the OpenStack clients the cleanup after the re-deploy and `leap verify` run' },
    ),
    () => ({ openrc: '/root/openrc', openstack: ['openstack'], neutron: ['neutron'] }),
  ),
  preflight: withDefault(
    object({
      skip: withDefault(
        array(string(), { description: 'ids of preflight checks not to run, e.g. deploy-host-packages' }),
        () => [],
      ),
      minFreeBytes: withDefault(
        integer({ min: 0, description: 'free space the backup folder needs beyond the estimated backup' }),
        () => 2 * 2 ** 30,
      ),
    }),
    () => ({ skip: [], minFreeBytes: 2 * 2 ** 30 }),
  ),
  galera: withDefault(
    object({
      nodes: optional(
        array(galeraNode, {
          description:
            "runner local only: the nodes on this machine (tests); otherwise the inventory's galera containers, reached as their Ansible variables say (leap_galera_address, leap_galera_port)",
        }),
      ),
      datadir: withDefault(text('the data folder in the galera containers'), () => '/var/lib/mysql'),
      bootstrapCommand: optional(
        argv(
          'starts a new cluster from a galera container (runner ansible); default from the container: galera_new_cluster under systemd, else service mysql start --wsrep-new-cluster',
        ),
      ),
      startCommand: optional(
        argv(
          'starts mariadb in a galera container, joining the cluster (runner ansible); default from the container: systemctl start mysql under systemd, else service mysql start',
        ),
      ),
      recoverCommand: withDefault(
        argv('prints the position of a stopped galera container; leap adds --log-error (runner ansible)'),
        () => ['mysqld', '--user=mysql', '--wsrep-recover'],
      ),
    }),
    () => ({ datadir: '/var/lib/mysql', recoverCommand: ['mysqld', '--user=mysql', '--wsrep-recover'] }),
  ),
  f5: withDefault(
    object({
      partition: optional(text('the BIG-IP partition (leap f5 --partition)')),
      sslDomain: optional(text('the domain of the SSL certificate (leap f5 --ssl-domain)')),
      publicVip: optional(text('default external_lb_vip_address (leap f5 --public-vip)')),
      snat: optional(array(string(), { description: 'SNAT pool addresses (leap f5 --snat)' })),
    }),
    () => ({}),
  ),
});

export type ParsedConfig = Infer<typeof leapConfigSchema>;

/** The JSON Schema of leap.yaml, published with the package (`leap config schema`). */
export function leapConfigJsonSchema(): unknown {
  return { $schema: 'https://json-schema.org/draft/2020-12/schema', ...leapConfigSchema.json() };
}

/** Validates a parsed leap.yaml; the error lists every bad key and value. */
export function validateConfig(raw: unknown): { ok: true; config: ParsedConfig } | { ok: false; message: string } {
  const issues: Issue[] = [];
  const config = leapConfigSchema.parse(raw, [], issues);
  return issues.length === 0 ? { ok: true, config } : { ok: false, message: formatIssues(issues) };
}
