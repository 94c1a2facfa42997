import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '@leap/test-fixtures';
import { createLab, destroyLab, readLab, type LabInfo } from '../src/index.js';
import { git, isAlive, openstackAnsible, sql } from './helpers.js';

let lab: LabInfo;
let root: string;
let createSeconds = 0;

beforeAll(async () => {
  root = makeTempDir('leap-lab-kilo-');
  const started = Date.now();
  lab = await createLab(join(root, 'lab'), { singleDb: true, seed: 'kilo-test' });
  createSeconds = (Date.now() - started) / 1000;
}, 240_000);

afterAll(async () => {
  if (lab !== undefined && existsSync(lab.dir)) await destroyLab(lab.dir);
  await execa('rm', ['-rf', root]);
});

describe('a Kilo lab', () => {
  it('records what was built in lab.json and points leap.yaml at it', () => {
    expect(readLab(lab.dir)).toEqual(lab);
    expect(createSeconds).toBeGreaterThan(0);
    const config = parse(readFileSync(lab.paths.leapYaml, 'utf8')) as unknown;
    expect(config).toMatchObject({
      deployDir: join(lab.dir, 'etc/openstack_deploy'),
      rpcoDir: join(lab.dir, 'opt/rpc-openstack'),
      releaseFile: join(lab.dir, 'etc/openstack-release'),
      target: 'r14.1.0',
      database: { host: '127.0.0.1', port: lab.database.port, socket: lab.database.socket, user: 'root', password: '' },
      ansible: {
        command: [join(lab.dir, 'bin/openstack-ansible')],
        extraVars: { leap_lab_root: lab.dir, leap_root_prefix: join(lab.dir, 'hosts') },
      },
      migrationVenvs: {
        kilo: join(lab.dir, 'releases/kilo'),
        liberty: {
          file: join(lab.dir, 'venv-tarballs/openstack-ansible-liberty-eol.tgz'),
          sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
          path: join(lab.dir, 'opt/openstack-ansible-liberty-eol'),
        },
        newton: { path: join(lab.dir, 'opt/openstack-ansible-newton-eol') },
      },
      runAsCommand: [join(lab.dir, 'bin/lab-run-as'), '{user}'],
      git: { remote: 'origin', expected: { rpco: lab.git.rpco.target, osa: lab.git.osa.target } },
    });
    // The production runner: every command on a host or container goes through Ansible and the lab's inventory.
    expect((config as { runner?: string }).runner).toBeUndefined();
    expect(lab.database.port).toBeLessThan(32768);
    expect(readFileSync(lab.paths.releaseFile, 'utf8')).toContain('DISTRIB_RELEASE="r11.1.18"');
  });

  it('has rpc-openstack at r11.1.18 with local changes, tags for r14.1.0 and the OSA gitlink, behind file:// origins', async () => {
    const rpco = lab.paths.rpcoDir;
    expect(await git(rpco, ['rev-parse', 'HEAD'])).toBe(lab.git.rpco.source);
    expect(await git(rpco, ['rev-parse', 'r11.1.18^{commit}'])).toBe(lab.git.rpco.source);
    expect(await git(rpco, ['rev-parse', 'r14.1.0^{commit}'])).toBe(lab.git.rpco.target);
    expect(await git(rpco, ['ls-tree', 'r14.1.0', 'openstack-ansible'])).toContain(lab.git.osa.target);
    expect(await git(rpco, ['ls-tree', 'r11.1.18', 'openstack-ansible'])).toContain(lab.git.osa.source);
    expect(await git(join(rpco, 'openstack-ansible'), ['rev-parse', 'HEAD'])).toBe(lab.git.osa.source);
    expect(await git(join(rpco, 'openstack-ansible'), ['rev-parse', '11.2.17^{commit}'])).toBe(lab.git.osa.source);
    expect(await git(rpco, ['remote', 'get-url', 'origin'])).toBe(`file://${join(lab.dir, 'git/rpc-openstack.git')}`);
    const status = await git(rpco, ['status', '--porcelain']);
    expect(status).toContain('M rpcd/etc/openstack_deploy/user_extras_variables.yml');
    expect(status).toContain('?? scripts/operator-notes.txt');
    expect(status).toContain('M openstack-ansible');
    // The Newton stand-in playbooks arrive only with the r14.1.0 checkout.
    expect(await git(rpco, ['ls-tree', '--name-only', 'r14.1.0', 'rpcd/playbooks/'])).toContain(
      'rpcd/playbooks/stage-python-artifacts.yml',
    );
    const osaOrigin = join(lab.dir, 'git/openstack-ansible.git');
    expect(await git(osaOrigin, ['ls-tree', '--name-only', '14.2.3', 'playbooks/upgrade-utilities/'])).toContain(
      'destroy-old-containers.yml',
    );
    expect(await git(osaOrigin, ['ls-tree', '--name-only', '11.2.17', 'playbooks/'])).not.toContain(
      'os-nova-install.yml',
    );
  });

  it('has an /etc/openstack_deploy shaped like RPCO Kilo, with an inventory from @leap/inventory and cached facts', () => {
    const deploy = lab.paths.deployDir;
    for (const file of [
      'openstack_user_config.yml',
      'user_variables.yml',
      'user_secrets.yml',
      'user_extras_variables.yml',
      'user_extras_secrets.yml',
      'openstack_inventory.json',
      'conf.d/logging.yml',
      'env.d/nova.yml',
      'env.d/elasticsearch.yml',
    ]) {
      expect(existsSync(join(deploy, file)), file).toBe(true);
    }
    const userConfig = parse(readFileSync(join(deploy, 'openstack_user_config.yml'), 'utf8')) as {
      used_ips: string[];
      compute_hosts: object;
    };
    expect(userConfig.used_ips.length).toBeGreaterThan(0);
    expect(Object.keys(userConfig.compute_hosts)).toEqual(['compute1']);
    const variables = readFileSync(join(deploy, 'user_variables.yml'), 'utf8');
    expect(variables).toMatch(/^# /m);
    expect(variables).toContain('ansible_host: "{{ ansible_ssh_host }}"');
    for (const key of ['rackspace_static_files_folder', 'horizon_custom_uploads', 'nova_v21_service_port'])
      expect(variables).toContain(`${key}:`);
    expect(variables).not.toContain('lxc_container_backing_store');
    const secrets = parse(readFileSync(join(deploy, 'user_secrets.yml'), 'utf8')) as Record<string, string>;
    expect(secrets.keystone_auth_admin_password).toMatch(/^[0-9a-f]{32}$/);
    const inventory = JSON.parse(readFileSync(join(deploy, 'openstack_inventory.json'), 'utf8')) as {
      galera: { hosts: string[] };
    };
    expect(inventory.galera.hosts).toHaveLength(1);
    expect(lab.hosts).toEqual(['compute1', 'infra1', 'storage1']);
    expect(Object.keys(lab.containers).length).toBeGreaterThan(10);
    const facts = readdirSync(join(deploy, 'ansible_facts'));
    expect(facts).toEqual(expect.arrayContaining(['infra1', ...Object.keys(lab.containers)]));
  });

  it('has a folder per host with /etc/hosts, containers and galera data', () => {
    const infra = join(lab.paths.hostsRoot, 'infra1');
    expect(readFileSync(join(infra, 'etc/hosts'), 'utf8')).toContain('127.0.1.1 infra1');
    const galera = Object.keys(lab.containers).find((c) => c.includes('_galera_container-'))!;
    expect(existsSync(join(infra, 'openstack', galera, 'ibdata1'))).toBe(true);
    for (const container of Object.keys(lab.containers))
      expect(existsSync(join(infra, 'var/lib/lxc', container, 'config'))).toBe(true);
  });

  it('serves the Kilo databases: schema versions, expired tokens and soft-deleted rows', async () => {
    const versions = await sql(
      lab,
      "SELECT 'keystone', version FROM keystone.migrate_version WHERE repository_id = 'keystone' UNION ALL " +
        "SELECT 'glance', version FROM glance.migrate_version UNION ALL SELECT 'cinder', version FROM cinder.migrate_version UNION ALL " +
        "SELECT 'nova', version FROM nova.migrate_version UNION ALL SELECT 'heat', version FROM heat.migrate_version",
    );
    expect(Object.fromEntries(versions)).toEqual({
      keystone: '67',
      glance: '41',
      cinder: '41',
      nova: '280',
      heat: '62',
    });
    expect(await sql(lab, 'SELECT version_num FROM neutron.alembic_version')).toEqual([['kilo']]);
    expect(await sql(lab, "SELECT COUNT(*) FROM keystone.token WHERE expires < '2020-01-01'")).toEqual([['240']]);
    expect(await sql(lab, "SELECT COUNT(*) FROM keystone.token WHERE expires > '2090-01-01'")).toEqual([['12']]);
    expect(
      await sql(lab, "SELECT COUNT(*) FROM nova.instances WHERE deleted <> 0 AND deleted_at < '2017-01-01'"),
    ).toEqual([['36']]);
    expect(await sql(lab, 'SELECT COUNT(*) FROM nova.instance_faults WHERE deleted <> 0')).toEqual([['36']]);
    expect(await sql(lab, "SHOW DATABASES LIKE 'dash'")).toEqual([['dash']]);
    const heatHosts = await sql(lab, 'SELECT host FROM heat.service');
    expect(heatHosts[0]![0]).toContain('_heat_engine_container-');
  });

  it("blocks Liberty's nova sync on unmigrated flavor data until Kilo's migrate_flavor_data --force has run", async () => {
    const unmigrated =
      'SELECT COUNT(*) FROM nova.instance_system_metadata s JOIN nova.instances i ON i.uuid = s.instance_uuid ' +
      "WHERE s.`key` = 'instance_type_id' AND s.deleted <> s.id AND i.deleted <> i.id";
    expect(await sql(lab, unmigrated)).toEqual([['4']]);
    // Liberty's blocker 291 stops nova at 290 while any flavor is unmigrated.
    const blocked = await execa(join(lab.dir, 'releases/liberty/bin/nova-manage'), ['db', 'sync'], { reject: false });
    expect(blocked.exitCode).not.toBe(0);
    expect(blocked.stderr).toContain('There are still 4 unmigrated flavor records');
    expect(await sql(lab, 'SELECT version FROM nova.migrate_version')).toEqual([['290']]);
    // Without --force Kilo leaves the instance that is mid-resize alone.
    const plain = await execa(join(lab.dir, 'releases/kilo/bin/nova-manage'), ['db', 'migrate_flavor_data']);
    expect(plain.stdout).toContain('4 instances matched query, 3 completed');

    // What leap's Liberty migrations do (packages/cli/test/lab-migrations.test.ts runs them through the CLI's steps).
    await execa(join(lab.dir, 'releases/kilo/bin/nova-manage'), ['db', 'migrate_flavor_data', '--force']);
    expect(await sql(lab, unmigrated)).toEqual([['0']]);
    await execa(join(lab.dir, 'releases/liberty/bin/nova-manage'), ['db', 'null_instance_uuid_scan', '--delete']);
    await execa(join(lab.dir, 'releases/liberty/bin/nova-manage'), ['db', 'sync']);
    const log = readFileSync(join(lab.dir, 'releases/migrations.log'), 'utf8');
    expect(log).toContain("kilo nova-manage db migrate_flavor_data --force: 1 of 1 instances' flavor data migrated");
    expect(log).toContain('liberty nova-manage db sync: nova 290 -> 302');
  });

  it('has stand-in migration commands that refuse to skip a release and advance one release at a time', async () => {
    // The test above took the lab through Liberty.
    const skip = await execa(join(lab.dir, 'releases/newton/bin/nova-manage'), ['db', 'sync'], { reject: false });
    expect(skip.exitCode).not.toBe(0);
    expect(skip.stderr).toContain('nova is at version 302');
    expect(skip.stderr).toContain('run the mitaka migrations first');
    expect(await sql(lab, 'SELECT version FROM nova.migrate_version')).toEqual([['302']]);

    await execa(join(lab.dir, 'releases/liberty/bin/nova-manage'), ['db', 'sync']);
    await execa(join(lab.dir, 'releases/liberty/bin/nova-manage'), ['db', 'sync']);
    expect(await sql(lab, 'SELECT version FROM nova.migrate_version')).toEqual([['302']]);
    await execa(join(lab.dir, 'releases/liberty/bin/neutron-db-manage'), [
      '--config-file',
      '/etc/neutron/neutron.conf',
      '--config-file',
      '/etc/neutron/plugins/ml2/ml2_conf.ini',
      'upgrade',
      'heads',
    ]);
    expect((await sql(lab, 'SELECT version_num FROM neutron.alembic_version ORDER BY 1')).flat()).toEqual([
      '34af2b5c5a59',
      '4af11ca47297',
    ]);
    const nulls = await execa(join(lab.dir, 'releases/liberty/bin/nova-manage'), [
      'db',
      'null_instance_uuid_scan',
      '--delete',
    ]);
    expect(nulls.stdout).toContain('There were no records found where instance_uuid was NULL');
    expect(readFileSync(join(lab.dir, 'releases/migrations.log'), 'utf8')).toContain(
      'liberty nova-manage db null_instance_uuid_scan --delete: 3 null instance_uuid rows deleted',
    );
  });

  it('ships the Liberty, Mitaka and Newton venvs as tarballs built at a path that is gone: they run only once relocated', async () => {
    const config = parse(readFileSync(lab.paths.leapYaml, 'utf8')) as {
      migrationVenvs: Record<string, { file: string; sha256: string }>;
    };
    expect(existsSync(join(lab.dir, '.venv-build'))).toBe(false);
    for (const release of ['liberty', 'mitaka', 'newton']) {
      const { file, sha256 } = config.migrationVenvs[release]!;
      const digest = await execa('sha256sum', [file]);
      expect(digest.stdout.split(' ')[0]).toBe(sha256);
      const listing = (await execa('tar', ['-tzf', file])).stdout.split('\n');
      expect(listing).toContain(`openstack-ansible-${release}-eol/bin/activate`);
      expect(listing).toContain(`openstack-ansible-${release}-eol/bin/keystone-manage`);
    }
    const unpacked = join(root, 'unpacked');
    mkdirSync(unpacked);
    await execa('tar', ['-xzf', config.migrationVenvs.liberty!.file, '-C', unpacked]);
    const manage = join(unpacked, 'openstack-ansible-liberty-eol/bin/keystone-manage');
    const unrelocated = await execa(manage, ['--help'], { reject: false });
    expect(unrelocated.exitCode, 'its shebang names the build path').not.toBe(0);
  });

  it('runs stand-in playbooks with the real ansible-playbook on the host folders, and fails once when told to', async () => {
    const osa = join(root, 'osa-newton');
    await git(root, ['clone', '-q', '--branch', '14.2.3', `file://${join(lab.dir, 'git/openstack-ansible.git')}`, osa]);
    const playbooks = join(osa, 'playbooks');

    const hostsSetup = await openstackAnsible(lab, playbooks, ['openstack-hosts-setup.yml']);
    expect(hostsSetup.exitCode, hostsSetup.stdout).toBe(0);
    expect(readFileSync(lab.paths.releaseFile, 'utf8')).toContain('DISTRIB_RELEASE="r14.1.0"');
    expect(readFileSync(join(lab.paths.hostsRoot, 'compute1/etc/openstack-release'), 'utf8')).toContain('r14.1.0');
    expect(readFileSync(join(lab.paths.hostsRoot, 'infra1/var/log/leap-lab/ran.log'), 'utf8')).toContain(
      'openstack-hosts-setup.yml infra1',
    );

    const containers = Object.keys(lab.containers);
    const galera = containers.find((c) => c.includes('_galera_container-'))!;
    const agents = containers.find((c) => c.includes('_neutron_agents_container-'))!;
    const keystone = containers.find((c) => c.includes('_keystone_container-'))!;
    const lxc = join(lab.paths.hostsRoot, 'infra1/var/lib/lxc');
    const destroy = await openstackAnsible(lab, playbooks, ['upgrade-utilities/destroy-old-containers.yml']);
    expect(destroy.exitCode, destroy.stdout).toBe(0);
    expect(existsSync(join(lxc, keystone))).toBe(false);
    expect(existsSync(join(lxc, agents))).toBe(true);
    expect(existsSync(join(lab.paths.hostsRoot, 'infra1/openstack', galera, 'ibdata1'))).toBe(true);

    const create = await openstackAnsible(lab, playbooks, ['lxc-containers-create.yml']);
    expect(create.exitCode, create.stdout).toBe(0);
    expect(readFileSync(join(lxc, keystone, 'rootfs/etc/hostname'), 'utf8')).toBe(`${keystone.replace(/_/g, '-')}\n`);

    writeFileSync(join(lab.paths.deployDir, 'leapfrog_remove_remaining_old_containers'), `${agents}\n`);
    mkdirSync(join(lab.dir, 'fail-once'), { recursive: true });
    writeFileSync(join(lab.dir, 'fail-once', 'neutron-remove-old-containers.yml'), '');
    const failed = await openstackAnsible(lab, playbooks, ['upgrade-utilities/neutron-remove-old-containers.yml']);
    expect(failed.exitCode).toBe(2);
    expect(failed.stdout).toContain('told to fail once');
    expect(existsSync(join(lxc, agents))).toBe(true);
    const again = await openstackAnsible(lab, playbooks, ['upgrade-utilities/neutron-remove-old-containers.yml']);
    expect(again.exitCode, again.stdout).toBe(0);
    expect(existsSync(join(lxc, agents))).toBe(false);
    expect(readFileSync(join(lab.dir, 'ran.log'), 'utf8').split('\n')).toEqual([
      'openstack-hosts-setup.yml',
      'destroy-old-containers.yml',
      'lxc-containers-create.yml',
      'neutron-remove-old-containers.yml (failed once)',
      'neutron-remove-old-containers.yml',
      '',
    ]);
  }, 600_000);

  it('refuses to destroy a folder that is not a lab, then stops the database and removes the lab', async () => {
    const other = join(root, 'not-a-lab');
    mkdirSync(other);
    writeFileSync(join(other, 'keep.txt'), 'keep');
    await expect(destroyLab(other)).rejects.toMatchObject({ code: 'LEAP_LAB_NOT_A_LAB' });
    expect(existsSync(join(other, 'keep.txt'))).toBe(true);

    expect(isAlive(lab.database.pid)).toBe(true);
    const started = Date.now();
    await destroyLab(lab.dir);
    console.info(`lab create ${createSeconds.toFixed(1)} s, destroy ${((Date.now() - started) / 1000).toFixed(1)} s`);
    expect(isAlive(lab.database.pid)).toBe(false);
    expect(existsSync(lab.dir)).toBe(false);
  });
});
