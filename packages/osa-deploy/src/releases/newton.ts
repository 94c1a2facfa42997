/**
 * What the re-deploy of the Newton release (RPC-O r14.1.0) needs, as data (leap-anchors §1.6, §5, §6).
 * A later target adds a file like this one rather than code paths.
 */

/** Services stopped by power-down, matched as substrings of init job names (leap-anchors §1.6). */
export const powerDownServices: readonly string[] = [
  'trove',
  'sahara',
  'barbican',
  'magnum',
  'ironic',
  'gnocchi',
  'designate',
  'aodh',
  'ceilometer',
  'horizon',
  'heat',
  'neutron',
  'nova',
  'cinder',
  'glance',
  'keystone',
  'apache',
];

/** Added to the power-down list unless Swift is kept running. */
/**
 * Variables that name the deployed release. An operator file of the source release sets them (RPC-O Kilo's
 * user_extras_variables.yml template has `rpc_release: r11.x`); carried over, they would make the Newton re-deploy
 * build the source release's venvs and apt lines. The target's group_vars set them, so the migration removes them
 * from the operator's files and reports it: an intended change.
 */
export const releaseIdentityVariables: readonly string[] = ['rpc_release', 'openstack_release'];

export const swiftServices: readonly string[] = ['swift'];

/**
 * Containers destroyed with their data before the re-deploy (an Ansible host pattern). Elasticsearch keeps its
 * containers and the logs in them, as RU's default does (OPS's destroyed them).
 */
export const defaultDestroyHosts =
  'all_containers:!galera_all:!neutron_agent:!ceph_all:!rsyslog_all:!elasticsearch_all';

/** The destroy pattern of a re-deploy: Swift's containers are kept when Swift is left out of it (SKIP_SWIFT_UPGRADE). */
export function destroyHostsFor(options: { swift?: boolean } = {}): string {
  return options.swift === false ? `${defaultDestroyHosts}:!swift_all` : defaultDestroyHosts;
}

/** Containers rebuilt with their bind-mounted data kept. */
export const rebuildKeepingData = 'galera_all:rsyslog_all';

/** The inventory group whose old containers are kept running through the re-deploy (leap-anchors §5.2). */
export const neutronAgentGroup = 'neutron_agent';

/** `user_leapfrog_overrides.yml`: every service restarts all at once, since the leap is full API downtime anyway. */
export const leapfrogThrottleOverrides: Readonly<Record<string, string>> = {
  nova_compute_serial: '100%',
  nova_conductor_serial: '100%',
  nova_console_serial: '100%',
  nova_scheduler_serial: '100%',
  nova_api_serial: '100%',
  neutron_agent_serial: '100%',
  neutron_server_serial: '100%',
  neutron_other_serial: '100%',
  cinder_backend_serial: '100%',
  cinder_scheduler_serial: '100%',
  cinder_api_serial: '100%',
  glance_api_serial: '100%',
  glance_registry_rolling: '100%',
};

/**
 * Also in `user_leapfrog_overrides.yml`: the apt cache stays valid for 6 hours, so the re-deploy does not refresh it
 * on every host at every playbook (RLM-1423). Upstream wrote it and then overwrote the file with the throttle settings
 * alone, so it never applied; upstream also deleted every `cache_timeout` line from the operator's files, for good.
 */
export const leapfrogCacheOverrides: Readonly<Record<string, string>> = { cache_timeout: '21600' };

export type HookPoint =
  | 'preSetupHosts'
  | 'postSetupHosts'
  | 'preSetupInfrastructure'
  | 'postSetupInfrastructure'
  | 'preSetupOpenstack'
  | 'postSetupOpenstack';

/** When an entry of the sequence applies. */
export type RedeployCondition = 'always' | 'swift' | 'gnocchiOnSwift';

/** One row of the re-deploy sequence. `leap` rows are playbooks shipped in this package, `osa` rows are in the playbooks folder. */
export type RedeployEntry =
  | {
      kind: 'playbook';
      key: string;
      owner: 'osa' | 'leap';
      playbook: string;
      args?: readonly string[];
      limit?: string;
      when?: RedeployCondition;
      /** The playbook and arguments of upstream's run, when leap's differ: they name its `run_lock` marker. */
      legacy?: { playbook: string; args: readonly string[] };
    }
  | { kind: 'hook'; point: HookPoint };

const osa = (
  key: string,
  playbook = `${key}.yml`,
  extra: Partial<RedeployEntry & { kind: 'playbook' }> = {},
): RedeployEntry => ({ kind: 'playbook', key, owner: 'osa', playbook, ...extra });
const leap = (
  key: string,
  playbook: string,
  extra: Partial<RedeployEntry & { kind: 'playbook' }> = {},
): RedeployEntry => ({ kind: 'playbook', key, owner: 'leap', playbook, ...extra });
const hook = (point: HookPoint): RedeployEntry => ({ kind: 'hook', point });

/** The re-deploy task list in order (leap-anchors §5.3, final form). */
export const redeploySequence: readonly RedeployEntry[] = [
  hook('preSetupHosts'),
  osa('openstack-hosts-setup', 'openstack-hosts-setup.yml', { args: ['-e', 'redeploy_rerun=true'] }),
  // Before any venv is built: the host roles and the repo build use the system pip, setuptools and wheel.
  leap('pip-unify', 'pip-unify.yml', {
    legacy: { playbook: 'pip-unify.yml', args: ['-e', 'release_version="newton-eol"'] },
  }),
  leap('galera-stop', 'galera-stop.yml'),
  leap('fact-cleanup', 'fact-cleanup.yml'),
  leap('destroy-old-containers', 'destroy-old-containers.yml'),
  leap('nova-libvirt-fix', 'nova-libvirt-fix.yml'),
  osa('lxc-hosts-setup'),
  osa('lxc-containers-create'),
  hook('postSetupHosts'),
  hook('preSetupInfrastructure'),
  osa('unbound-install'),
  osa('repo-install'),
  leap('haproxy-cleanup', 'haproxy-cleanup.yml'),
  osa('haproxy-install'),
  osa('memcached-install'),
  osa('galera-install'),
  osa('rabbitmq-install'),
  osa('etcd-install'),
  osa('utility-install'),
  osa('rsyslog-install'),
  leap('db-force-upgrade', 'db-force-upgrade.yml'),
  hook('postSetupInfrastructure'),
  hook('preSetupOpenstack'),
  osa('os-keystone-install'),
  osa('os-glance-install'),
  osa('os-cinder-install'),
  osa('os-nova-install'),
  // A second, compute-only pass: computes restart fast, and very old libvirt needs two passes.
  osa('os-nova-install-compute', 'os-nova-install.yml', { limit: 'nova_compute' }),
  osa('os-neutron-install'),
  leap('neutron-remove-old-containers', 'neutron-remove-old-containers.yml'),
  osa('os-heat-install'),
  osa('os-horizon-install'),
  osa('os-ceilometer-install'),
  osa('os-aodh-install'),
  // Gnocchi on Swift needs its identity before Swift is deployed, then the full role after.
  osa('os-gnocchi-identity', 'os-gnocchi-install.yml', {
    args: ['-e', 'gnocchi_identity_only=true'],
    when: 'gnocchiOnSwift',
  }),
  osa('os-swift-install', 'os-swift-install.yml', { when: 'swift' }),
  osa('os-gnocchi-install'),
  osa('os-ironic-install'),
  osa('os-magnum-install'),
  osa('os-sahara-install'),
  hook('postSetupOpenstack'),
];

/**
 * pip, setuptools and wheel each host must have before the re-deploy builds venvs (leap-anchors §5.3 step 3): the
 * target's global-requirement-pins.txt pins them; these are upstream's lib/upgrade-requirements.txt, installed under
 * those pins.
 */
export const pipUnifyTools: readonly string[] = ['pip', 'setuptools', 'wheel'];
export const upgradeRequirements: Readonly<Record<string, string>> = {
  cryptography: '1.7.2',
  packaging: '16.8',
  pip: '9.0.1',
  setuptools: '33.1.1',
  virtualenv: '15.1.0',
  wheel: '0.29.0',
};
/** Build dependencies of cryptography 1.7.2 where no wheel fits (upstream pip-unify.yml). */
export const pipUnifyAptPackages: readonly string[] = ['libssl-dev', 'libffi-dev', 'python-dev'];
/** The get-pip.py upstream fetched on every host during the window (pypa/get-pip at 430ba37, pip 9.0.1). */
export const getPipUrl =
  'https://raw.githubusercontent.com/pypa/get-pip/430ba37776ae2ad89f794c7a43b90dc23bac334c/get-pip.py';

/**
 * RPC's apt sources on every host (leap-anchors §5.1 R4; r14.1.0's own scripts/leapfrog/pre_redeploy.sh ends with it),
 * in `<rpc-openstack>/rpcd/playbooks`.
 */
export const rpcAptSources = 'configure-apt-sources.yml';

/** RPC-O's pre-setup-infrastructure hook (leap-anchors §1.7), in `<rpc-openstack>/rpcd/playbooks`. */
export const rpcStagePythonArtifacts = 'stage-python-artifacts.yml';

/**
 * The RPC additions deployed after the re-deploy, as r14.1.0's scripts/deploy-rpc-playbooks.sh runs them (leap-anchors
 * §6), in `<rpc-openstack>/rpcd/playbooks`. r14.1.0 has no horizon_extensions.yml or haproxy.yml there (later RU
 * documents ran them), and its setup-maas.yml includes maas-get.yml.
 */
export const rpcAdditionPlaybooks: readonly { key: string; playbook: string; when: RpcAdditionSwitch }[] = [
  { key: 'rpc-support', playbook: 'rpc-support.yml', when: 'supportRole' },
  { key: 'setup-logging', playbook: 'setup-logging.yml', when: 'elk' },
  { key: 'setup-maas', playbook: 'setup-maas.yml', when: 'maas' },
  { key: 'verify-maas', playbook: 'verify-maas.yml', when: 'maas' },
];

export type RpcAdditionSwitch = 'supportRole' | 'elk' | 'maas';
