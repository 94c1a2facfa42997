import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { parse } from 'yaml';
import {
  makeTempDir,
  effectiveVariables,
  leap,
  leapBin,
  processesMentioning,
  readLabJson,
  reportedConfigKeys,
  secretsByKey,
  labRows,
  labSql,
  renderInChromium,
  type LabJson,
} from '@leap/test-fixtures';

const confirm = ['--confirm-source', 'kilo', '--confirm-redeploy', '--plain'];

/** A Galera node's wsrep status variables, over its socket. */
async function galeraStatus(node: { socket: string }): Promise<Map<string, string>> {
  const rows = await labRows({ database: { socket: node.socket } }, "SHOW GLOBAL STATUS LIKE 'wsrep_%'");
  return new Map(rows.map(([name, value]) => [name!, value ?? '']));
}

describe('a Kilo -> r14.1.0 leap on a lab', () => {
  let base: string;
  let lab: LabJson;
  let config: string[];
  let secretsBefore: Map<string, string>;
  let variablesBefore: Map<string, unknown>;
  let uuidBefore: string;

  beforeAll(async () => {
    base = makeTempDir('leap-e2e-');
    const created = await leap(['lab', 'create', join(base, 'lab')]);
    expect(created.exitCode, created.all).toBe(0);
    lab = readLabJson(join(base, 'lab'));
    config = ['--config', lab.paths.leapYaml];
    secretsBefore = secretsByKey(lab.paths.deployDir);
    variablesBefore = effectiveVariables(lab.paths.deployDir);
    // Rows committed before the leap in a database no step touches: each node must hold them all afterwards.
    await labSql(
      lab,
      'CREATE DATABASE leap_e2e; CREATE TABLE leap_e2e.kept (id INT PRIMARY KEY, v VARCHAR(40)) ENGINE=InnoDB; ' +
        'INSERT INTO leap_e2e.kept SELECT seq, SHA1(seq) FROM leap_e2e.seq_1_to_2000',
    );
    uuidBefore = (await galeraStatus(lab.galera!.nodes[0]!)).get('wsrep_cluster_state_uuid')!;
  });

  const venvOf = (release: string) =>
    (
      parse(readFileSync(lab.paths.leapYaml, 'utf8')) as {
        migrationVenvs: Record<string, { file: string; sha256: string; path: string }>;
      }
    ).migrationVenvs[release]!;

  afterAll(async () => {
    if (lab) await leap(['lab', 'destroy', lab.dir]);
    rmSync(base, { recursive: true, force: true });
  });

  it('refuses a migration venv tarball whose sha256 differs: venvs/prepare fails naming it, before anything is stopped, nothing unpacked', async () => {
    const saved = readFileSync(lab.paths.leapYaml, 'utf8');
    const { sha256, file } = venvOf('liberty');
    writeFileSync(lab.paths.leapYaml, saved.replace(sha256, 'f'.repeat(64)));
    try {
      const result = await leap([...config, 'run', ...confirm]);
      expect(result.exitCode, result.all).toBe(1);
      expect(result.all).toContain('failed at step venvs/prepare');
      expect(result.all).toContain('LEAP_VENV_SHA256_MISMATCH');
      expect(result.all).toContain(`file: ${file}`);
      expect(result.all).toContain(`has sha256 ${sha256}`);
      expect(existsSync(join(lab.dir, 'opt', 'openstack-ansible-liberty-eol'))).toBe(false);
      expect(existsSync(join(lab.paths.deployDir, 'upgrade-leap', 'services+power-down.complete'))).toBe(false);
    } finally {
      writeFileSync(lab.paths.leapYaml, saved);
    }
  });

  it('stops cleanly on Ctrl-C with exit 130, leaving no child process, and records the interruption', async () => {
    const run = execa(process.execPath, [leapBin, ...config, 'run', ...confirm], {
      reject: false,
      all: true,
      env: { NO_COLOR: '1' },
    });
    // Interrupt while the re-deploy's first playbook runs: an ansible-playbook child is alive then.
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the run never reached the re-deploy')), 600_000);
      run.all?.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('▶') && chunk.toString().includes('newton/redeploy/openstack-hosts-setup')) {
          clearTimeout(timer);
          setTimeout(resolve, 500);
        }
      });
    });
    run.kill('SIGINT');
    const result = await run;
    expect(result.exitCode, result.all).toBe(130);
    expect(result.all).toContain('resume with: leap');
    expect(processesMentioning(lab.dir)).toEqual([]);
    const journal = readFileSync(join(lab.paths.deployDir, 'upgrade-leap', 'leap-journal.jsonl'), 'utf8');
    expect(journal).toMatch(/"event":"step-interrupted"/);
    expect(
      existsSync(join(lab.paths.deployDir, 'upgrade-leap', 'newton+redeploy+openstack-hosts-setup.complete')),
    ).toBe(false);
  });

  it('stops at a playbook that fails, naming the step and the command that resumes', async () => {
    writeFileSync(join(lab.dir, 'fail-once', 'os-keystone-install.yml'), '');
    const result = await leap([...config, 'run', ...confirm]);
    expect(result.exitCode, result.all).toBe(1);
    expect(result.all).toContain('failed at step newton/redeploy/os-keystone-install');
    expect(result.all).toMatch(/resume with: leap --config \S+ run/);
    expect(result.all).toContain('↓ newton/migrate: already done');
  });

  it('resumes at that playbook; with the cluster down after the re-deploy (lab fault), stops at post/galera-health naming `leap galera recover`', async () => {
    const armed = await leap(['lab', 'fault', 'galera-down-after-redeploy', lab.dir]);
    expect(armed.exitCode, armed.all).toBe(0);
    const result = await leap([...config, 'run', ...confirm]);
    expect(result.exitCode, result.all).toBe(1);
    expect(result.all).toContain('newton/redeploy/os-keystone-install');
    expect(result.all).not.toMatch(/▶ \[\d+\/\d+\] newton\/migrate:/);
    expect(result.all).toContain('failed at step post/galera-health [LEAP_GALERA_NOT_RECOVERED]');
    for (const node of lab.galera!.nodes) expect(result.all).toContain(`${node.name} is unreachable`);
    expect(result.all).toContain('hint: run `leap galera recover`');
  });

  it('leap galera recover --yes brings the three nodes back; the leap then completes', async () => {
    const recovered = await leap([...config, 'galera', 'recover', '--yes']);
    expect(recovered.exitCode, recovered.all).toBe(0);
    expect(recovered.all).toContain('cluster recovered: 3 nodes Synced');
    const result = await leap([...config, 'run', ...confirm]);
    expect(result.exitCode, result.all).toBe(0);
    expect(result.all).toMatch(/▶ \[\d+\/\d+\] post\/galera-health/);
    expect(result.all).not.toMatch(/▶ \[\d+\/\d+\] newton\/redeploy\//);
  });

  it('kept the Galera cluster: the health gate saw 3 Synced nodes, and afterwards all 3 are Synced in one cluster with every row', async () => {
    const journal = readFileSync(join(lab.paths.deployDir, 'upgrade-leap', 'leap-journal.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l.includes('"event":"step-completed"'))
      .map((l) => JSON.parse(l) as { step: string; result?: string });
    const gate = journal.find((e) => e.step === 'db/health')?.result ?? '';
    expect(gate).toBe(`3 nodes Synced and Primary in one cluster (state UUID ${uuidBefore})`);
    const statuses = await Promise.all(lab.galera!.nodes.map((node) => galeraStatus(node)));
    for (const status of statuses) {
      expect(status.get('wsrep_local_state_comment')).toBe('Synced');
      expect(status.get('wsrep_cluster_status')).toBe('Primary');
      expect(status.get('wsrep_cluster_size')).toBe('3');
    }
    const uuids = new Set(statuses.map((s) => s.get('wsrep_cluster_state_uuid')));
    expect(uuids.size).toBe(1);
    // galera-stop.yml keeps grastate.dat and stops the first node last, so the re-deploy starts the same cluster
    // again; leap galera recover (after the fault) keeps it too.
    expect([...uuids]).toEqual([uuidBefore]);
    expect(journal.find((e) => e.step === 'post/galera-health')?.result).toBe(
      `3 nodes Synced and Primary in one cluster (state UUID ${[...uuids][0]})`,
    );
    // Every row committed before the leap, on every node; and the nodes agree table by table.
    const checksums = await Promise.all(
      lab.galera!.nodes.map(async (node) => {
        const kept = await labSql(
          { ...lab, database: { ...lab.database, socket: node.socket } },
          'SELECT COUNT(*), SUM(CRC32(CONCAT(id, v))) FROM leap_e2e.kept',
        );
        const tables = await labSql(
          { ...lab, database: { ...lab.database, socket: node.socket } },
          "SELECT GROUP_CONCAT(CONCAT(TABLE_SCHEMA, '.', TABLE_NAME) ORDER BY TABLE_SCHEMA, TABLE_NAME) FROM information_schema.TABLES WHERE TABLE_SCHEMA IN ('nova', 'neutron', 'cinder', 'keystone', 'glance', 'heat')",
        );
        const sums = await labSql(
          { ...lab, database: { ...lab.database, socket: node.socket } },
          `CHECKSUM TABLE ${tables.split(',').join(', ')}`,
        );
        return { kept, sums };
      }),
    );
    const expectedKept = await labSql(
      lab,
      'SELECT 2000, SUM(CRC32(CONCAT(seq, SHA1(seq)))) FROM leap_e2e.seq_1_to_2000',
    );
    for (const c of checksums) expect(c.kept).toBe(expectedKept);
    expect(new Set(checksums.map((c) => c.sums)).size).toBe(1);
  });

  it('leaves rpc-openstack and its submodule on r14.1.0 with the local changes recoverable', async () => {
    const git = (cwd: string, args: string[]) => execa('git', ['-C', cwd, ...args]).then((r) => r.stdout.trim());
    expect(await git(lab.paths.rpcoDir, ['rev-parse', 'HEAD'])).toBe(lab.git.rpco.target);
    expect(await git(join(lab.paths.rpcoDir, 'openstack-ansible'), ['rev-parse', 'HEAD'])).toBe(lab.git.osa.target);
    expect(await git(lab.paths.rpcoDir, ['status', '--porcelain'])).toBe('');
    const backups = join(lab.dir, 'openstack', 'backup', 'leap', 'git');
    const [backup] = (await execa('ls', [backups])).stdout.split('\n');
    const manifest = JSON.parse(readFileSync(join(backups, backup!, 'manifest.json'), 'utf8')) as { repos: unknown[] };
    expect(manifest.repos.length).toBeGreaterThan(0);
  });

  it('migrates the configuration: required variables, Liberty renames, comments kept, secrets kept and added', () => {
    const overrides = readFileSync(join(lab.paths.deployDir, 'user_osa_variables_overrides.yml'), 'utf8');
    expect(overrides).toContain('lxc_container_backing_store: "dir"');
    expect(overrides).toContain('neutron_legacy_ha_tool_enabled: "yes"');
    expect(overrides).toContain('# Operators: add a comment');
    expect(overrides).not.toMatch(/^nova_v21_/m);
    expect(overrides).not.toMatch(/^rackspace_static_files_folder:/m);
    const secretsAfter = secretsByKey(lab.paths.deployDir);
    for (const [key, value] of secretsBefore) expect(secretsAfter.get(key), key).toBe(value);
    expect(secretsAfter.get('nova_rabbitmq_password')).toMatch(/^\S{16,}$/);
  });

  it('loses no operator variable: each has the same effective value, unless the leap reported changing it', () => {
    const reported = reportedConfigKeys(join(lab.paths.deployDir, 'upgrade-leap', 'leap-journal.jsonl'));
    const after = effectiveVariables(lab.paths.deployDir);
    const checked = [...variablesBefore.keys()].filter((key) => !reported.has(key));
    expect(checked).toEqual(
      expect.arrayContaining([
        'neutron_l2_population',
        'neutron_vxlan_enabled',
        'debug',
        'galera_innodb_buffer_pool_size',
        'maas_scheme',
      ]),
    );
    for (const key of checked) expect({ key, value: after.get(key) }).toEqual({ key, value: variablesBefore.get(key) });
    for (const name of ['user_osa_variables_defaults.yml', 'user_rpco_variables_defaults.yml'])
      expect(existsSync(join(lab.paths.deployDir, name)), name).toBe(true);
  });

  it('merges the RPC secrets with the r14.1.0 template: OSA and RPC files in the Newton layout, every old value unchanged', () => {
    for (const gone of ['user_secrets.yml', 'user_extras_secrets.yml'])
      expect(existsSync(join(lab.paths.deployDir, gone)), gone).toBe(false);
    const osa = secretsByKey(lab.paths.deployDir);
    expect(osa.get('galera_root_password')).toBe(secretsBefore.get('galera_root_password'));
    const rpco = readFileSync(join(lab.paths.deployDir, 'user_rpco_secrets.yml'), 'utf8');
    for (const key of [
      'maas_api_key',
      'kibana_password',
      'fsid_uuid',
      'maas_rabbitmq_password',
      'influxdb_db_root_password',
      'influxdb_db_metric_password',
    ]) {
      expect(rpco, key).toMatch(new RegExp(`^${key}: \\S{16,}`, 'm'));
    }
    for (const [key, value] of secretsBefore) expect(osa.get(key), key).toBe(value);
  });

  it('upgrades the inventory keeping every container name but the neutron agents handed over', () => {
    const inventory = JSON.parse(readFileSync(join(lab.paths.deployDir, 'openstack_inventory.json'), 'utf8')) as {
      _meta: { hostvars: Record<string, unknown> };
    };
    const kept = Object.keys(lab.containers).filter((c) => !c.includes('neutron_agents'));
    for (const name of kept) expect(Object.keys(inventory._meta.hostvars), name).toContain(name);
  });

  it("pushed each release's venv from its tarball, relocated to where it runs, and ran the migrations from there", () => {
    for (const release of ['liberty', 'mitaka', 'newton']) {
      const venv = venvOf(release);
      expect(readFileSync(join(venv.path, 'leap-venv.txt'), 'utf8')).toBe(
        `leap-venv sha256=${venv.sha256} path=${venv.path}\n`,
      );
      expect(readFileSync(join(venv.path, 'bin', 'keystone-manage'), 'utf8').split('\n')[0]).toBe(
        `#!${venv.path}/bin/node`,
      );
    }
    const journal = readFileSync(join(lab.paths.deployDir, 'upgrade-leap', 'leap-journal.jsonl'), 'utf8');
    expect(journal).toMatch(/"step":"venvs\/prepare".*"from":"tarball".*"pushed":true/);
    expect(readFileSync(join(lab.dir, 'releases', 'migrations.log'), 'utf8')).toMatch(
      /^liberty keystone-manage db_sync/m,
    );
  });

  it('brings every service database to its Newton version, release by release, purging only eligible rows', async () => {
    const report = JSON.parse((await leap([...config, '--json', 'report'])).stdout) as {
      schemaVersions: Array<{ release: string; step: string; status: string }>;
      backups: Array<{ verified: boolean; verification: string | null; databases: unknown[] }>;
    };
    const migrated = report.schemaVersions.filter((v) => v.status === 'migrated');
    expect(migrated.map((v) => v.release)).toEqual(
      [...migrated.map((v) => v.release)].sort(
        (a, b) => ['liberty', 'mitaka', 'newton'].indexOf(a) - ['liberty', 'mitaka', 'newton'].indexOf(b),
      ),
    );
    expect(new Set(migrated.map((v) => v.release))).toEqual(new Set(['liberty', 'mitaka', 'newton']));
    expect(await labSql(lab, 'SELECT MAX(version) FROM nova.migrate_version')).toBe('334');
    expect(
      await labSql(lab, 'SELECT MAX(version) FROM keystone.migrate_version WHERE repository_id = "keystone"'),
    ).toBe('109');
    expect(Number(await labSql(lab, 'SELECT COUNT(*) FROM keystone.token WHERE expires < NOW()'))).toBe(0);
    expect(Number(await labSql(lab, 'SELECT COUNT(*) FROM keystone.token WHERE expires >= NOW()'))).toBeGreaterThan(0);
    expect(report.backups[0]?.verified).toBe(true);
    expect(report.backups[0]?.verification).toBe('streamed-restore');
    expect(report.backups[0]?.databases.length).toBeGreaterThan(5);
  });

  it('writes the /etc/hosts aliases, keeps galera data and keeps a neutron agents container until the new agents run', () => {
    const infra = lab.hosts.find((h) => h.startsWith('infra'))!;
    const hostsFile = readFileSync(join(lab.paths.hostsRoot, infra, 'etc', 'hosts'), 'utf8');
    // openstack_domain: '' (redeploy/short-hostnames, RLM-322): the names stay short, as in Kilo.
    expect(hostsFile.split('\n').filter((l) => l.startsWith('127.0.1.1'))).toEqual([`127.0.1.1 ${infra}`]);
    // A host answering to another name than its inventory name keeps that name in the alias line: read live from
    // the host, not from the fact cache the fact cleanup removed just before (issue 19, defect 5).
    const renamed = lab.hosts.find(
      (h) => readFileSync(join(lab.paths.hostsRoot, h, 'etc', 'hostname'), 'utf8').trim() !== h,
    )!;
    expect(renamed).toBeDefined();
    const real = readFileSync(join(lab.paths.hostsRoot, renamed, 'etc', 'hostname'), 'utf8').trim();
    expect(
      readFileSync(join(lab.paths.hostsRoot, renamed, 'etc', 'hosts'), 'utf8')
        .split('\n')
        .filter((l) => l.startsWith('127.0.1.1')),
    ).toEqual([`127.0.1.1 ${renamed} ${real}`]);
    const galera = Object.keys(lab.containers).find((c) => c.includes('galera') && lab.containers[c] === infra)!;
    expect(existsSync(join(lab.paths.hostsRoot, infra, 'openstack', galera, 'ibdata1'))).toBe(true);
    const agents = Object.keys(lab.containers).find((c) => c.includes('neutron_agents'))!;
    const ran = readFileSync(
      join(lab.paths.hostsRoot, lab.containers[agents]!, 'var', 'log', 'leap-lab', 'ran.log'),
      'utf8',
    ).split('\n');
    const destroyed = ran.indexOf(`lxc-destroy ${agents}`);
    expect(destroyed).toBeGreaterThan(ran.findIndex((l) => l.startsWith('os-neutron-install.yml')));
    expect(ran.findIndex((l) => l.startsWith('lxc-containers-create.yml'))).toBeLessThan(destroyed);
    expect(existsSync(join(lab.paths.hostsRoot, lab.containers[agents]!, 'var', 'lib', 'lxc', agents))).toBe(false);
    // Its MaaS check is out of the agent's folder (kept beside it), the other checks stay (LA-369).
    const maas = join(lab.paths.hostsRoot, lab.containers[agents]!, 'etc', 'rackspace-monitoring-agent.conf.d');
    const check = `lxc_container_check--${agents}.yaml`;
    expect(existsSync(join(maas, check))).toBe(false);
    expect(existsSync(join(`${maas}.leap-removed`, check))).toBe(true);
    const galeraCheck = `etc/rackspace-monitoring-agent.conf.d/lxc_container_check--${galera}.yaml`;
    expect(existsSync(join(lab.paths.hostsRoot, infra, galeraCheck))).toBe(true);
  });

  it("configures RPC's apt sources before the downtime; at the end restarts the computes' linuxbridge agents and runs the RPC additions", () => {
    const ranLog = readFileSync(join(lab.dir, 'ran.log'), 'utf8').split('\n');
    const apt = ranLog.findIndex((l) => l.startsWith('configure-apt-sources.yml'));
    expect(apt).toBeGreaterThanOrEqual(0);
    // The first stand-in of the re-deploy runs after services/power-down (leap's own playbook, not in ran.log).
    expect(apt).toBeLessThan(ranLog.findIndex((l) => l.startsWith('openstack-hosts-setup.yml')));
    // The lab turns every RPC addition on (rpcAdditions in its leap.yaml): they run in r14.1.0's order, at the end.
    const additions = ['rpc-support.yml', 'setup-logging.yml', 'setup-maas.yml', 'verify-maas.yml'].map((playbook) =>
      ranLog.findIndex((l) => l.startsWith(playbook)),
    );
    expect(additions[0]).toBeGreaterThan(ranLog.findIndex((l) => l.startsWith('os-neutron-install.yml')));
    expect(additions).toEqual([...additions].sort((a, b) => a - b));
    const computes = lab.hosts.filter((h) => h.startsWith('compute'));
    expect(computes.length).toBeGreaterThan(0);
    // pip-unify ran on every physical host from the deploy host's get-pip.py and wheels, the Kilo tools kept aside.
    for (const host of lab.hosts) {
      const pipLog = readFileSync(join(lab.paths.hostsRoot, host, 'var/log/leap-lab/pip.log'), 'utf8');
      expect(pipLog, host).toContain('install pip==9.0.1 from pip-9.0.1-py2.py3-none-any.whl');
      expect(pipLog, host).toContain('install virtualenv==15.1.0 from virtualenv-15.1.0-py2.py3-none-any.whl');
      // Moved aside before the install (upstream deleted them), so get-pip replaced nothing of Kilo's.
      expect(readdirSync(join(lab.paths.hostsRoot, host, 'opt/leap/pip-unify-kept')).sort(), host).toEqual([
        '.complete',
        'packaging-16.5.dist-info',
        'pip-8.1.2.dist-info',
        'setuptools-20.1.1.dist-info',
        'wheel-0.26.0.dist-info',
      ]);
    }
    for (const host of computes) {
      const services = readFileSync(join(lab.paths.hostsRoot, host, 'var', 'log', 'leap-lab', 'services.log'), 'utf8');
      expect(services.trim().split('\n').at(-1), host).toBe('neutron-linuxbridge-agent restart');
    }
  });

  it('cleans up what the Kilo host names left in the APIs, reports each deletion, and leap verify finds the cloud healthy', async () => {
    const plan = JSON.parse((await leap([...config, '--json', 'plan'])).stdout) as {
      sections: Array<{ steps: Array<{ id: string }> }>;
    };
    const ids = plan.sections.flatMap((s) => s.steps.map((step) => step.id));
    const cleanup = [
      'newton/cleanup/cinder-services',
      'newton/cleanup/nova-services',
      'newton/cleanup/neutron-agents',
      'newton/cleanup/dhcp-ports',
    ];
    const lastRedeploy = ids.findLastIndex((id) => id.startsWith('newton/redeploy/'));
    expect(ids.slice(lastRedeploy + 1, lastRedeploy + 6)).toEqual([...cleanup, 'newton/linuxbridge-restart']);
    expect(ids.indexOf('services/router-map')).toBe(ids.indexOf('services/power-down') - 1);
    // pip-unify's inputs are checked before the downtime; the hosts' pip is unified right after the host setup.
    expect(ids.indexOf('redeploy/pip-unify-files')).toBe(ids.indexOf('services/router-map') - 1);
    expect(ids[ids.indexOf('newton/redeploy/openstack-hosts-setup') + 1]).toBe('newton/redeploy/pip-unify');
    expect(ids.slice(-2)).toEqual(['post/verify', 'post/report']);

    const report = JSON.parse((await leap([...config, '--json', 'report'])).stdout) as {
      cleanup: Array<{ kind: string; action: string; id: string | null; name: string }>;
      health: { ok: boolean; findings: Array<{ check: string; ok: boolean }> } | null;
    };
    const deleted = (kind: string) =>
      report.cleanup.filter((c) => c.kind === kind && c.action === 'deleted').map((c) => c.name);
    // Every Kilo nova service and neutron agent of a container was registered under an underscore host name.
    expect(deleted('nova-service').length).toBeGreaterThan(0);
    expect(
      deleted('nova-service').every((name) => /^nova-[a-z]+ on [a-z0-9]+_\w+_container-[0-9a-f]{8}$/.test(name)),
    ).toBe(true);
    expect(deleted('neutron-agent').length).toBeGreaterThan(0);
    expect(deleted('dhcp-port')).toHaveLength(1);
    expect(report.cleanup.filter((c) => c.action === 'kept')).toEqual([]);
    expect(
      Number(await labSql(lab, "SELECT COUNT(*) FROM nova.services WHERE deleted = 0 AND host LIKE '%\\_%'")),
    ).toBe(0);
    expect(Number(await labSql(lab, "SELECT COUNT(*) FROM neutron.agents WHERE host LIKE '%\\_%'"))).toBe(0);
    expect(report.health?.ok).toBe(true);
    expect(report.health?.findings.map((f) => f.check)).toEqual([
      'galera cluster',
      'nova services',
      'cinder services',
      'neutron agents',
      'ports in BUILD',
      'routers on alive L3 agents',
      'nova processes from the venv',
    ]);
    const markdown = (await leap([...config, 'report'])).stdout;
    expect(markdown).toContain('## Cleanup after the re-deploy');
    expect(markdown).toContain('## Health after the leap (healthy');

    const verify = await leap([...config, 'verify']);
    expect(verify.exitCode, verify.all).toBe(0);
    expect(verify.stdout).toContain('the cloud is healthy after the leap');
  });

  it('reports every step done, and a second run does nothing and exits 0', async () => {
    const status = JSON.parse((await leap([...config, '--json', 'status'])).stdout) as { done: number; total: number };
    expect(status.done).toBe(status.total);
    const again = await leap([...config, 'run', '--plain']);
    expect(again.exitCode, again.all).toBe(0);
    expect(again.all).toContain('every step was already done');
    expect(again.all).not.toContain('▶');
  });

  it('writes the report as a page Chromium renders: every step, the failed and interrupted tries, the API downtime, no request', async () => {
    const page = join(lab.paths.deployDir, 'upgrade-leap', 'leap-report.html');
    // Kept after the run (one per CI run, overwritten by the next): what the operator hands on, as it looks.
    const artefacts = join(tmpdir(), 'leap-e2e-artefacts');
    mkdirSync(artefacts, { recursive: true });
    const screenshot = join(artefacts, 'leap-report.png');
    const rendered = await renderInChromium(page, { screenshot, width: 1280 });
    const plan = JSON.parse((await leap([...config, '--json', 'plan'])).stdout) as {
      sections: Array<{ steps: Array<{ id: string }> }>;
    };
    const ids = plan.sections.flatMap((s) => s.steps.map((step) => step.id));
    for (const id of ids) expect(rendered.dom).toContain(`data-step-label="${id}"`);
    expect(rendered.dom.match(/data-step-label=/g)).toHaveLength(ids.length);
    expect(rendered.dom).toMatch(/<g id="downtime"><rect class="downtime" x="[\d.]+" y="\d+" width="[1-9][\d.]*"/);
    expect(rendered.dom).toContain('<g id="point-of-no-return">');
    expect(rendered.dom).toContain('class="attempt failed" data-step="newton/redeploy/');
    expect(rendered.dom).toContain('class="attempt interrupted"');
    expect(rendered.requests).toEqual([pathToFileURL(page).href]);
    expect(rendered.console).toEqual([]);
    expect(statSync(screenshot).size).toBeGreaterThan(20_000);
    console.log(`report screenshot: ${screenshot}`);
  });

  it('leap verify exits 1 naming a Kilo nova service that is up again (the lab fault stale-nova-service)', async () => {
    const fault = await leap(['lab', 'fault', 'stale-nova-service', lab.dir]);
    expect(fault.exitCode, fault.all).toBe(0);
    const host = /nova-conductor on (\S+) is up again/.exec(fault.stdout)?.[1];
    expect(host).toMatch(/_nova_conductor_container-/);
    const verify = await leap([...config, 'verify']);
    expect(verify.exitCode, verify.all).toBe(1);
    expect(verify.stdout).toContain(`nova-conductor on ${host as string} (id `);
    expect(verify.stdout).toMatch(/a Kilo host name, still up \(a Kilo service outlived the re-deploy\)/);
    expect(verify.stdout).toContain('1 problem: the cloud is not healthy');
    const json = JSON.parse((await leap([...config, '--json', 'verify'])).stdout) as {
      ok: boolean;
      findings: Array<{ check: string; problems: string[] }>;
    };
    expect(json.ok).toBe(false);
    expect(json.findings.filter((f) => f.problems.length > 0).map((f) => f.check)).toEqual(['nova services']);

    // A problem the operator accepts goes in verify.ignore: still shown, no longer failing.
    writeFileSync(
      lab.paths.leapYaml,
      `${readFileSync(lab.paths.leapYaml, 'utf8')}verify:\n  ignore:\n    - "nova-conductor on ${host as string} "\n`,
    );
    const accepted = await leap([...config, 'verify']);
    expect(accepted.exitCode, accepted.all).toBe(0);
    expect(accepted.stdout).toContain(`ignored (verify.ignore in leap.yaml): nova-conductor on ${host as string} (id `);
    expect(accepted.stdout).toContain('the cloud is healthy after the leap');
  });

  it('leap verify exits 1 naming a nova process not run from the Newton venv (the lab fault kilo-nova-process)', async () => {
    const fault = await leap(['lab', 'fault', 'kilo-nova-process', lab.dir]);
    expect(fault.exitCode, fault.all).toBe(0);
    const verify = await leap([...config, 'verify']);
    expect(verify.exitCode, verify.all).toBe(1);
    // RPC-O r14.1.0 names the venvs after rpc_release (its user_osa_variables_defaults.yml).
    expect(verify.stdout).toMatch(
      /nova-compute \(pid \d+\) on compute1 runs \/usr\/bin\/python \/usr\/local\/bin\/nova-compute, not from \/openstack\/venvs\/nova-r14\.1\.0\/bin\//,
    );
    expect(verify.stdout).toContain('1 problem: the cloud is not healthy');
  });
});
