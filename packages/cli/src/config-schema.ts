import { z } from 'zod';

function galeraDefaults() {
  return {
    datadir: '/var/lib/mysql',
    recoverCommand: ['mysqld', '--user=mysql', '--wsrep-recover'],
  };
}

const releaseName = z.enum(['kilo', 'liberty', 'mitaka', 'newton']);

/** leap.yaml: everything that differs between deployments. Production needs no file at all. */
export const leapConfigSchema = z.strictObject({
  deployDir: z.string().default('/etc/openstack_deploy'),
  rpcoDir: z.string().default('/opt/rpc-openstack'),
  markerDir: z.string().optional().describe('default: <deployDir>/upgrade-leap'),
  backupDir: z.string().default('/openstack/backup'),
  releaseFile: z.string().default('/etc/openstack-release'),
  target: z.string().default('r14.1.0'),
  runner: z
    .enum(['ansible', 'local'])
    .default('ansible')
    .describe('where database and service commands run: through Ansible on the inventory hosts, or on this machine'),
  database: z
    .strictObject({
      host: z.string().optional(),
      port: z.number().int().positive().optional(),
      socket: z.string().optional(),
      user: z.string().optional(),
      password: z.string().optional(),
      tools: z
        .strictObject({
          dump: z.string().optional().describe('default mariadb-dump, else mysqldump (MariaDB 10.0 / MySQL clients)'),
          client: z.string().optional().describe('default mariadb, else mysql'),
          server: z
            .string()
            .optional()
            .describe('mariadbd for the throwaway server that verifies backups; default mariadbd, else mysqld'),
          installDb: z.string().optional().describe('default mariadb-install-db, else mysql_install_db'),
        })
        .optional()
        .describe('the database programs on this host, names looked up on PATH or absolute paths; found when absent'),
    })
    .default({})
    .describe('discovered from the deployment (galera_root_password, internal_lb_vip_address) when absent'),
  ansible: z
    .strictObject({
      command: z.array(z.string()).min(1).default(['openstack-ansible']),
      execCommand: z
        .array(z.string())
        .min(1)
        .default(['ansible-playbook'])
        .describe('runs the one-task plays through which leap runs commands on hosts and containers'),
      inventory: z.string().optional(),
      playbookDir: z.string().optional().describe('default: <rpcoDir>/openstack-ansible/playbooks'),
      extraVars: z.record(z.string(), z.unknown()).default({}),
      env: z.record(z.string(), z.string()).default({}),
    })
    .default({ command: ['openstack-ansible'], execCommand: ['ansible-playbook'], extraVars: {}, env: {} }),
  migrationVenvs: z
    .partialRecord(
      releaseName,
      z.union([
        z
          .string()
          .regex(/^\//, 'must be an absolute path on the hosts')
          .describe('a folder already on the hosts; leap only checks its commands'),
        z
          .strictObject({
            sha256: z
              .string({ error: 'must be a quoted string of 64 hexadecimal digits (unquoted digits are a YAML number)' })
              .regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hexadecimal digits'),
            url: z.string().optional().describe('default: <migrationVenvsBaseUrl>/openstack-ansible-<release>-eol.tgz'),
            file: z.string().optional().describe('a tarball already on the deploy host, instead of a download'),
            path: z
              .string()
              .regex(/^\//, 'must be an absolute path on the hosts')
              .optional()
              .describe('where it lives on the hosts; default /opt/openstack-ansible-<release>-eol'),
          })
          .refine((v) => v.url === undefined || v.file === undefined, 'give url or file, not both')
          .describe('a tarball venvs/prepare fetches, checks, relocates and pushes'),
      ]),
    )
    .refine((venvs) => venvs.kilo === undefined || typeof venvs.kilo === 'string', {
      message: "kilo takes a folder (Kilo's own nova-manage in the nova containers), not a tarball",
      path: ['kilo'],
    })
    .default({})
    .describe(
      "per release, the venv whose bin/ holds that release's *-manage commands: a folder on the hosts, or a tarball to push (kilo: default folder /usr/local, Kilo's nova-manage in the nova containers)",
    ),
  migrationVenvsBaseUrl: z
    .string()
    .default('https://rpc-repo.rackspace.com/venvs/leap-bundles')
    .describe("where a migration venv tarball without url or file is downloaded from (upstream's VENV_URL)"),
  runAsCommand: z
    .array(z.string())
    .min(1)
    .refine((argv) => argv.includes('{user}'), 'must contain {user}')
    .default(['sudo', '-H', '-u', '{user}', '--'])
    .describe(
      'prefix that runs a migration command as its service user (neutron-db-manage as neutron); {user} is replaced',
    ),
  git: z
    .strictObject({
      remote: z.string().default('origin'),
      expected: z.strictObject({ rpco: z.string(), osa: z.string() }).optional(),
    })
    .default({ remote: 'origin' }),
  housekeeping: z
    .strictObject({
      deletedOlderThanDays: z.number().int().nonnegative().default(90),
      batchSize: z.number().int().positive().default(1000),
    })
    .default({ deletedOlderThanDays: 90, batchSize: 1000 }),
  vaultPasswordFile: z.string().optional().describe('default: $ANSIBLE_VAULT_PASSWORD_FILE'),
  preflight: z
    .strictObject({
      skip: z.array(z.string()).default([]).describe('ids of preflight checks not to run, e.g. deploy-host-packages'),
      minFreeBytes: z
        .number()
        .int()
        .nonnegative()
        .default(2 * 2 ** 30),
    })
    .default({ skip: [], minFreeBytes: 2 * 2 ** 30 }),
  galera: z
    .strictObject({
      nodes: z
        .array(
          z.strictObject({
            name: z.string().min(1),
            host: z.string().optional(),
            port: z.number().int().positive().optional(),
            socket: z.string().optional(),
            datadir: z.string(),
            start: z
              .array(z.string())
              .min(1)
              .describe('the argument array that starts mariadbd for this node on this machine'),
            env: z.record(z.string(), z.string()).default({}),
          }),
        )
        .optional()
        .describe(
          "runner local only: the nodes on this machine (lab, tests); otherwise the inventory's galera containers",
        ),
      datadir: z.string().default('/var/lib/mysql'),
      bootstrapCommand: z
        .array(z.string())
        .min(1)
        .optional()
        .describe(
          'starts a new cluster from a galera container (runner ansible); default from the container: galera_new_cluster under systemd, else service mysql start --wsrep-new-cluster',
        ),
      startCommand: z
        .array(z.string())
        .min(1)
        .optional()
        .describe(
          'starts mariadb in a galera container, joining the cluster (runner ansible); default from the container: systemctl start mysql under systemd, else service mysql start',
        ),
      recoverCommand: z
        .array(z.string())
        .min(1)
        .default(['mysqld', '--user=mysql', '--wsrep-recover'])
        .describe('prints the position of a stopped galera container; leap adds --log-error (runner ansible)'),
    })
    .default(galeraDefaults()),
  f5: z
    .strictObject({
      partition: z.string().optional(),
      sslDomain: z.string().optional(),
      publicVip: z.string().optional(),
      snat: z.array(z.string()).optional(),
    })
    .default({}),
});

/** The JSON Schema of leap.yaml, published with the package (`leap config schema`). */
export function leapConfigJsonSchema(): unknown {
  return z.toJSONSchema(leapConfigSchema, { io: 'input' });
}

/** Validates a parsed leap.yaml; the error lists every bad key and value. */
export function validateConfig(
  raw: unknown,
): { ok: true; config: z.output<typeof leapConfigSchema> } | { ok: false; message: string } {
  const parsed = leapConfigSchema.safeParse(raw);
  if (parsed.success) return { ok: true, config: parsed.data };
  return { ok: false, message: z.prettifyError(new z.ZodError(parsed.error.issues.flatMap(closestBranch))) };
}

/**
 * A value that matches no branch of a union (a migration venv neither a folder nor a tarball entry) is reported
 * by the branch of its own type: "expected string, received number at migrationVenvs.liberty.sha256", never a
 * bare "Invalid input".
 */
function closestBranch(issue: z.core.$ZodIssue): z.core.$ZodIssue[] {
  if (issue.code !== 'invalid_union' || issue.errors.length === 0) return [issue];
  const wrongType = (branch: z.core.$ZodIssue[]) =>
    branch.find((i) => i.code === 'invalid_type' && i.path.length === 0);
  const typed = issue.errors.filter((branch) => wrongType(branch) === undefined);
  if (typed.length === 0) {
    const expected = issue.errors.map((branch) => (wrongType(branch) as { expected?: string } | undefined)?.expected);
    return [{ ...issue, message: `Invalid input: expected ${[...new Set(expected)].join(' or ')}` }];
  }
  if (typed.length !== 1) return [issue];
  return typed[0]!.flatMap((inner) => closestBranch({ ...inner, path: [...issue.path, ...inner.path] }));
}
