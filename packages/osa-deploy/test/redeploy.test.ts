import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '@leap/test-fixtures';
import { describe, expect, it } from 'vitest';
import {
  gnocchiUsesSwift,
  installRpcmVariables,
  kiloRpcAdditions,
  legacyMarkerName,
  redeployPlaybooks,
  rpcAdditionItems,
} from '../src/index.js';

const base = {
  backupMarker: '/etc/openstack_deploy/upgrade-leap/backup.complete',
  backupDir: '/var/backup/leap',
  pipUnifyDir: '/var/backup/leap/pip-unify',
};
const keys = (items: { id: string }[]): string[] => items.map((item) => item.id.replace('newton/redeploy/', ''));

describe('redeployPlaybooks', () => {
  it('lists the Newton re-deploy in order with stable ids, the second nova pass limited to computes', () => {
    const items = redeployPlaybooks(base);
    expect(keys(items)).toEqual([
      'openstack-hosts-setup',
      'pip-unify',
      'galera-stop',
      'fact-cleanup',
      'destroy-old-containers',
      'nova-libvirt-fix',
      'lxc-hosts-setup',
      'lxc-containers-create',
      'unbound-install',
      'repo-install',
      'haproxy-cleanup',
      'haproxy-install',
      'memcached-install',
      'galera-install',
      'rabbitmq-install',
      'etcd-install',
      'utility-install',
      'rsyslog-install',
      'db-force-upgrade',
      'os-keystone-install',
      'os-glance-install',
      'os-cinder-install',
      'os-nova-install',
      'os-nova-install-compute',
      'os-neutron-install',
      'neutron-remove-old-containers',
      'os-heat-install',
      'os-horizon-install',
      'os-ceilometer-install',
      'os-aodh-install',
      'os-swift-install',
      'os-gnocchi-install',
      'os-ironic-install',
      'os-magnum-install',
      'os-sahara-install',
    ]);
    expect(new Set(items.map((item) => item.id)).size).toBe(items.length);
    expect(items.find((item) => item.id.endsWith('/os-nova-install-compute'))).toMatchObject({
      playbook: 'os-nova-install.yml',
      limit: 'nova_compute',
      legacyMarker: 'os-nova-install.yml--limit-nova_compute.complete',
    });
    expect(items[0]).toMatchObject({
      args: ['-e', 'redeploy_rerun=true'],
      legacyMarker: 'openstack-hosts-setup.yml-e-redeploy_rerun-true.complete',
    });
    for (const item of items.filter((candidate) => candidate.owner === 'leap'))
      expect(existsSync(item.playbook)).toBe(true);
    expect(items.find((item) => item.id.endsWith('/galera-stop'))?.extraVars).toEqual({
      leap_backup_marker: base.backupMarker,
    });
    // pip-unify takes upstream's marker (`pip-unify.yml -e release_version="newton-eol"` in OPS re-deploy.sh).
    expect(items.find((item) => item.id.endsWith('/pip-unify'))).toMatchObject({
      owner: 'leap',
      extraVars: { leap_pip_unify_dir: base.pipUnifyDir },
      legacyMarker: 'pip-unify.yml-e-release_version--newton-eol-.complete',
    });
  });

  it('places hooks and the RPC stage-python-artifacts before setup-infrastructure, skips Swift and deploys the Gnocchi identity first when asked', () => {
    const items = redeployPlaybooks({
      ...base,
      swift: false,
      gnocchiOnSwift: true,
      rpcPlaybooksDir: '/opt/rpc-openstack/rpcd/playbooks',
      hooks: {
        preSetupHosts: [{ id: 'site-pre', playbook: '/srv/pre.yml' }],
        postSetupOpenstack: [{ id: 'site-post', playbook: '/srv/post.yml' }],
      },
    });
    const order = keys(items);
    expect(order[0]).toBe('site-pre');
    expect(order.at(-1)).toBe('site-post');
    expect(order.indexOf('rpc-stage-python-artifacts')).toBe(order.indexOf('lxc-containers-create') + 1);
    expect(items.find((item) => item.id.endsWith('/rpc-stage-python-artifacts'))).toMatchObject({
      owner: 'rpc',
      playbook: '/opt/rpc-openstack/rpcd/playbooks/stage-python-artifacts.yml',
    });
    expect(order).not.toContain('os-swift-install');
    expect(order.indexOf('os-gnocchi-identity')).toBeLessThan(order.indexOf('os-gnocchi-install'));
    expect(
      items.find((item) => item.id.endsWith('/destroy-old-containers'))?.extraVars?.['leap_destroy_hosts'],
    ).toContain('!swift_all');
  });

  it('destroys no Elasticsearch container, and no Swift container when Swift is left out', () => {
    const destroyed = (options: { swift?: boolean }) =>
      redeployPlaybooks({ ...base, ...options }).find((item) => item.id.endsWith('/destroy-old-containers'))
        ?.extraVars?.['leap_destroy_hosts'];
    expect(destroyed({})).toBe('all_containers:!galera_all:!neutron_agent:!ceph_all:!rsyslog_all:!elasticsearch_all');
    expect(destroyed({ swift: true })).toBe(destroyed({}));
    expect(destroyed({ swift: false })).toBe(`${destroyed({}) as string}:!swift_all`);
  });

  it('computes the marker names of the bash tooling', () => {
    expect(legacyMarkerName('os-nova-install.yml', ['--limit', 'nova_compute'])).toBe(
      'os-nova-install.yml--limit-nova_compute.complete',
    );
    expect(legacyMarkerName('/opt/rpc-openstack/rpcd/playbooks/stage-python-artifacts.yml')).toBe(
      'stage-python-artifacts.yml.complete',
    );
  });

  it('detects Gnocchi stored in Swift from the deployment files', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'user_variables.yml'), '---\n# gnocchi_storage_driver: swift\n');
    expect(await gnocchiUsesSwift(dir)).toBe(false);
    writeFileSync(join(dir, 'user_osa_variables_overrides.yml'), '---\ngnocchi_storage_driver: swift\n');
    expect(await gnocchiUsesSwift(dir)).toBe(true);
  });

  it("lists the RPC additions in r14.1.0's deploy-rpc-playbooks.sh order: those switched on, and those unset marked for Kilo's answer", () => {
    const dir = '/opt/rpc-openstack/rpcd/playbooks';
    expect(rpcAdditionItems({ rpcPlaybooksDir: dir }).map((item) => `${item.id} ${item.ifKiloHad}`)).toEqual([
      'newton/rpc/rpc-support supportRole',
      'newton/rpc/setup-logging elk',
      'newton/rpc/setup-maas maas',
      'newton/rpc/verify-maas maas',
    ]);
    const on = rpcAdditionItems({ rpcPlaybooksDir: dir, supportRole: true, elk: true, maas: true });
    expect(on.map((item) => item.playbook)).toEqual(
      ['rpc-support.yml', 'setup-logging.yml', 'setup-maas.yml', 'verify-maas.yml'].map((n) => join(dir, n)),
    );
    expect(on.every((item) => item.ifKiloHad === undefined)).toBe(true);
    expect(rpcAdditionItems({ rpcPlaybooksDir: dir, supportRole: false, elk: false, maas: false })).toEqual([]);
  });
});

describe('what the Kilo deployment had of the RPC additions', () => {
  const deployDir = (files: Record<string, string>, hosts: string[]) => {
    const dir = tempDir();
    const hostvars = Object.fromEntries(hosts.map((h) => [h, {}]));
    writeFileSync(join(dir, 'openstack_inventory.json'), JSON.stringify({ _meta: { hostvars } }));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    return dir;
  };

  it('reads ELK from the inventory and MaaS from credentials other than the Kilo template placeholders, never printing them', async () => {
    const template = [
      'rackspace_cloud_username: SomeUserName',
      'rackspace_cloud_api_key: SomeAPIKey',
      'maas_username: "{{ rackspace_cloud_username }}"',
      'maas_api_key: "{{ rackspace_cloud_api_key }}"',
      'maas_auth_token: some_token',
      '',
    ].join('\n');
    const without = await kiloRpcAdditions(
      deployDir({ 'user_extras_variables.yml': template }, ['infra1_nova_api_container-1a2b3c4d']),
    );
    expect(without.supportRole.had).toBe(true);
    expect(without.elk).toMatchObject({ had: false });
    expect(without.maas).toEqual({
      had: false,
      why: "no user file sets MaaS credentials other than Kilo's placeholders",
    });

    const withBoth = await kiloRpcAdditions(
      deployDir({ 'user_extras_variables.yml': template.replace('SomeAPIKey', 's3cr3t-api-key') }, [
        'infra1_elasticsearch_container-0a1b2c3d',
        'infra1_logstash_container-4e5f6a7b',
      ]),
    );
    expect(withBoth.elk.had).toBe(true);
    expect(withBoth.elk.why).toContain('infra1_elasticsearch_container-0a1b2c3d');
    expect(withBoth.maas.had).toBe(true);
    expect(withBoth.maas.why).toMatch(
      /^MaaS credentials are set \(rackspace_cloud_api_key in \S+user_extras_variables\.yml\)$/,
    );
    expect(withBoth.maas.why).not.toContain('s3cr3t');
  });
});

describe("RPC-O's user_rpcm_variables.yml", () => {
  it('is copied into the deploy folder when it has none, and an operator’s file is kept as it is', async () => {
    const rpcDefaultsDir = tempDir();
    const configDir = tempDir();
    writeFileSync(join(rpcDefaultsDir, 'user_rpcm_variables.yml'), 'maas_auth_method: password\n');
    expect(await installRpcmVariables({ rpcDefaultsDir, configDir })).toEqual({
      file: join(configDir, 'user_rpcm_variables.yml'),
      created: true,
    });
    expect(readFileSync(join(configDir, 'user_rpcm_variables.yml'), 'utf8')).toBe('maas_auth_method: password\n');
    writeFileSync(join(configDir, 'user_rpcm_variables.yml'), 'maas_auth_method: token\n');
    expect((await installRpcmVariables({ rpcDefaultsDir, configDir })).created).toBe(false);
    expect(readFileSync(join(configDir, 'user_rpcm_variables.yml'), 'utf8')).toBe('maas_auth_method: token\n');
    await expect(installRpcmVariables({ rpcDefaultsDir: tempDir(), configDir: tempDir() })).rejects.toMatchObject({
      code: 'LEAP_RPC_DEFAULTS_MISSING',
    });
  });
});
