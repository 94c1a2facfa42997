import { join } from 'node:path';
import { MarkerStore, type Step } from '@leap/markers';
import type { RpcAdditionItem } from '@leap/osa-deploy/redeploy';
import type { LeapRuntime } from '../runtime.js';
import { playbookStep, runPlaybookItem } from '../playbook-step.js';
import { stepLogger, summariseChanges } from '../step-logger.js';

/** RPC-O's defaults for its variables, in the target checkout. */
const rpcDefaultsDir = (rt: LeapRuntime) => join(rt.config.rpcoDir, 'rpcd', 'etc', 'openstack_deploy');
const rpcPlaybooksDir = (rt: LeapRuntime) => join(rt.config.rpcoDir, 'rpcd', 'playbooks');
/** What the re-deploy steps run, imported when they run. */
const osa = () => import('@leap/osa-deploy');

/** Stops every OpenStack service before the first migration: API downtime starts here (leap-anchors §1.6). */
export async function powerDownSteps(rt: LeapRuntime): Promise<Step[]> {
  const { powerDownItem } = await import('@leap/osa-deploy/leap-playbooks');
  return [
    {
      id: 'services/router-map',
      title: "neutron: each router's L3 agents recorded, for leap verify to compare after the leap",
      async run(ctx) {
        const { readRouterMap } = await import('@leap/osa-deploy');
        const { openstackClientsFor } = await import('../openstack-clients.js');
        const routers = await readRouterMap(await openstackClientsFor(rt, ctx));
        ctx.log('router map', { kind: 'router-map', routers });
        return `${Object.keys(routers).length} routers`;
      },
    },
    playbookStep(
      rt,
      powerDownItem({ id: 'services/power-down', swift: rt.config.redeploy.swift }),
      'OpenStack services stopped on every host and container (API downtime starts)',
    ),
  ];
}

/** The /etc/hosts 127.0.1.1 alias lines of the hostname compatibility rules, written on every physical host. */
export function hostsAliasSteps(rt: LeapRuntime): Step[] {
  return [
    {
      id: 'newton/hosts-alias',
      title: 'newton: /etc/hosts 127.0.1.1 alias line written on every physical host',
      async run(ctx) {
        const { checkHostnameCompatibility } = await import('@leap/inventory');
        const { hostsAliasItem } = await import('@leap/osa-deploy/leap-playbooks');
        const { vaultAccess } = await import('../vault-access.js');
        const { liveHostnames } = await import('../live-hostnames.js');
        const report = await checkHostnameCompatibility({
          deployDir: rt.config.deployDir,
          ...vaultAccess(rt),
          liveHostnames: liveHostnames(rt, ctx, ctx.stepId),
        });
        await runPlaybookItem(rt, ctx, hostsAliasItem(report.hostsLines, { id: ctx.stepId }));
        return `${Object.keys(report.hostsLines).length} hosts`;
      },
    },
  ];
}

/**
 * pre_redeploy (RPC variable migration and the temporary throttle overrides), confirmation 2, the neutron agents
 * kept alive, then the target release deployed playbook by playbook, each a step of its own.
 */
export async function redeploySteps(rt: LeapRuntime): Promise<Step[]> {
  // The list alone is light to load; what the steps run is imported when they run (leap status stays fast).
  const list = await import('@leap/osa-deploy/redeploy');
  const { deployDir } = rt.config;
  const store = new MarkerStore(rt.config.markerDir);
  const items = list.redeployPlaybooks({
    backupMarker: store.fileOf('db/backup'),
    backupDir: join(rt.paths.configBackups, 'haproxy'),
    configDir: deployDir,
    gnocchiOnSwift: await list.gnocchiUsesSwift(deployDir).catch(() => false),
    swift: rt.config.redeploy.swift,
    rpcPlaybooksDir: rpcPlaybooksDir(rt),
    pipUnifyDir: rt.paths.pipUnify,
  });
  return [neutronKeepStep(rt), ...items.map((item) => playbookStep(rt, item))];
}

/**
 * What the re-deploy needs from the operator and the deploy folder, done while the cloud still runs (issue 25): the
 * steps write /etc/openstack_deploy files that no running Kilo service reads (they are read by openstack-ansible runs,
 * and the runs before the re-deploy, power-down and galera-stop, use only leap's own variables), the physical hosts'
 * 127.0.1.1 alias line and their apt sources, and none reads what power-down or the migrations change.
 * redeploy/neutron-keep stays after power-down: it takes a neutron agents container out of the inventory, and
 * power-down must still stop that container's agents.
 */
export async function redeployPreparationSteps(rt: LeapRuntime): Promise<Step[]> {
  const { rpcAptSourcesItem } = await import('@leap/osa-deploy/redeploy');
  return [
    rpcVariablesStep(rt),
    rpcSecretsStep(rt),
    shortHostnamesStep(rt),
    // After short-hostnames: the alias lines carry the openstack_domain the re-deploy will use.
    ...hostsAliasSteps(rt),
    confirmRedeployStep(rt),
    leapfrogOverridesStep(rt),
    playbookStep(rt, rpcAptSourcesItem({ rpcPlaybooksDir: rpcPlaybooksDir(rt) }), "RPC's apt sources on every host"),
    pipUnifyFilesStep(rt),
  ];
}

/**
 * redeploy/pip-unify-files: what newton/redeploy/pip-unify pushes to the hosts, made and checked here before the
 * downtime, so a wrong get-pip.py, a checkout without pins or a missing wheel stops the leap while the cloud runs.
 */
function pipUnifyFilesStep(rt: LeapRuntime): Step {
  return {
    id: 'redeploy/pip-unify-files',
    title: "pip-unify: get-pip.py (sha256), the target's pins and the wheels ready for the hosts",
    async run(ctx) {
      const { preparePipUnify } = await osa();
      const { pipUnifyConfig } = await import('../pip-unify-config.js');
      const config = pipUnifyConfig(rt.config);
      const prepared = await preparePipUnify({
        osaDir: join(rt.config.rpcoDir, 'openstack-ansible'),
        getPip: config.getPip,
        ...(config.wheels === undefined ? {} : { wheels: config.wheels }),
        outDir: rt.paths.pipUnify,
      });
      const pins = Object.entries(prepared.manifest.pins).map(([name, version]) => `${name}==${version}`);
      ctx.log(`pip-unify pins ${pins.join(' ')}`, { kind: 'pip-unify', pins: prepared.manifest.pins });
      const source = prepared.manifest.wheels ? `wheels from ${config.wheels}` : 'the index the hosts use';
      return `${pins.join(', ')}; get-pip.py sha256 ok; ${source}`;
    },
  };
}

/** redeploy/short-hostnames: `openstack_domain: ''` unless the operator set it, so host names stay as in Kilo. */
function shortHostnamesStep(rt: LeapRuntime): Step {
  return {
    id: 'redeploy/short-hostnames',
    title: "openstack_domain: '' unless a user file sets it: host names stay short, as in Kilo (RLM-322)",
    async run(ctx) {
      const { keepShortHostnames, describeOpenstackDomain } = await osa();
      const result = await keepShortHostnames({ configDir: rt.config.deployDir, backupDir: rt.paths.configBackups });
      if (result.action === 'added') {
        ctx.log('openstack_domain added', {
          kind: 'config-changes',
          changes: [{ file: result.file, action: 'added', key: 'openstack_domain' }],
        });
      }
      if (result.unread.length > 0) {
        stepLogger(ctx).warn(
          `not searched for openstack_domain (vault-encrypted): ${result.unread.join(', ')}; if one sets it, its value applies`,
        );
      }
      return describeOpenstackDomain(result);
    },
  };
}

/** redeploy/rpc-variables: the RPC variables migrated to the Newton override files. */
function rpcVariablesStep(rt: LeapRuntime): Step {
  const { deployDir } = rt.config;
  return {
    id: 'redeploy/rpc-variables',
    title: 'RPC variables migrated to the Newton override files (operator values kept, conflicts reported)',
    legacyMarkers: ['variable-migration'],
    async run(ctx) {
      const r = await (
        await osa()
      ).migrateRpcVariables({
        configDir: deployDir,
        rpcDefaultsDir: rpcDefaultsDir(rt),
        backupDir: rt.paths.configBackups,
      });
      // Key names only: an operator variable may hold a credential.
      ctx.log('rpc variables', {
        kind: 'rpc-variables',
        copied: r.copied,
        dropped: r.dropped,
        defaultsInstalled: r.defaultsInstalled,
        conflicts: r.conflicts.map((c) => ({ key: c.key, file: c.file })),
        pinned: r.pinned.map((key) => ({ key, file: r.pinFile })),
      });
      if (r.releaseKeysRemoved.length > 0) {
        ctx.log('rpc variables naming the source release', {
          kind: 'config-changes',
          changes: r.releaseKeysRemoved.map((entry) => ({
            file: entry.file,
            action: 'removed (set by the target release)',
            key: entry.key,
          })),
        });
      }
      if (r.alreadyMigrated) return 'already migrated';
      return `${r.copied.length} kept, ${r.dropped.length} now given by the RPC defaults, ${r.conflicts.length} operator values kept over a new default, ${r.pinned.length} pinned`;
    },
  };
}

/** redeploy/rpc-secrets: the RPC secrets merged with the r14.1.0 template. */
function rpcSecretsStep(rt: LeapRuntime): Step {
  const { deployDir } = rt.config;
  return {
    id: 'redeploy/rpc-secrets',
    title:
      'RPC secrets merged with the r14.1.0 template (old values kept, new keys generated), user_secrets.yml moved to user_osa_secrets.yml',
    legacyMarkers: ['user_secrets_migration'],
    async run(ctx) {
      const { mergeRpcSecrets } = await import('@leap/inventory');
      const { vaultAccess } = await import('../vault-access.js');
      const report = await mergeRpcSecrets({
        deployDir,
        backupDir: rt.paths.configBackups,
        logger: stepLogger(ctx),
        ...vaultAccess(rt),
        templateFile: join(rpcDefaultsDir(rt), 'user_rpco_secrets.yml'),
      });
      ctx.log('rpc secrets', { kind: 'config-changes', changes: report.changes });
      return summariseChanges(report.changes);
    },
  };
}

/** redeploy/confirm: confirmation 2, on the summary of what the re-deploy changes. */
function confirmRedeployStep(rt: LeapRuntime): Step {
  return {
    id: 'redeploy/confirm',
    title: 'confirmation 2: the migrated variables and secrets, the containers destroyed and kept',
    async run(ctx) {
      const summary = await redeploySummary(rt);
      await rt.confirmations.redeploy(summary);
      // What the operator confirmed, kept for the report: key names and file names only, never a value.
      ctx.log('confirmation 2 answered', { kind: 'review', confirmation: 'redeploy', text: summary });
      return 'confirmed';
    },
  };
}

/** redeploy/leapfrog-overrides: the re-deploy's temporary throttle overrides written. */
function leapfrogOverridesStep(rt: LeapRuntime): Step {
  const { deployDir } = rt.config;
  return {
    id: 'redeploy/leapfrog-overrides',
    title: 'temporary overrides for the re-deploy written: throttles at 100%, apt cache kept 6 hours',
    async run(ctx) {
      const { writeLeapfrogOverrides, shadowedLeapfrogOverrides } = await osa();
      const file = await writeLeapfrogOverrides(deployDir);
      const shadowed = await shadowedLeapfrogOverrides(deployDir);
      for (const { key, file: userFile } of shadowed) {
        stepLogger(ctx).warn(
          `${key} is set in ${userFile}, loaded after ${file}: the operator's value applies during the re-deploy`,
        );
      }
      return `wrote ${file}${shadowed.length > 0 ? `; ${shadowed.map((s) => s.key).join(', ')} kept from the operator's files` : ''}`;
    },
  };
}

/** redeploy/neutron-keep: one set of old neutron agents containers kept running, out of the inventory. */
function neutronKeepStep(rt: LeapRuntime): Step {
  const { deployDir } = rt.config;
  return {
    id: 'redeploy/neutron-keep',
    title: 'one set of old neutron agents containers taken out of the inventory and kept running',
    legacyMarkers: ['neutron-container-forget'],
    async run(ctx) {
      const result = await (
        await osa()
      ).forgetNeutronAgents({ configDir: deployDir, backupDir: rt.paths.configBackups });
      ctx.log('neutron agents kept', { kind: 'neutron-keep', kept: result.kept });
      return `kept ${result.kept.map((k) => k.name).join(', ') || 'none'}`;
    },
  };
}

/**
 * What r14.1.0's post_leap.sh does before the RPC additions: the compute hosts' linuxbridge agents restarted (LA-358),
 * and the MaaS checks of the destroyed neutron agents containers taken out of the agents (LA-369), so verify-maas.yml
 * passes.
 */
export async function afterRedeploySteps(rt: LeapRuntime): Promise<Step[]> {
  const { linuxbridgeRestartItem, maasOldAgentsItem } = await import('@leap/osa-deploy/leap-playbooks');
  return [
    playbookStep(
      rt,
      linuxbridgeRestartItem({ id: 'newton/linuxbridge-restart' }),
      'neutron-linuxbridge-agent restarted on every compute host (LA-358)',
    ),
    playbookStep(
      rt,
      maasOldAgentsItem({ id: 'newton/maas-old-agents', configDir: rt.config.deployDir }),
      "the destroyed neutron agents containers' MaaS checks moved out of the agents (LA-369)",
    ),
  ];
}

export async function rpcAdditionSteps(rt: LeapRuntime): Promise<Step[]> {
  const { rpcAdditionItems } = await import('@leap/osa-deploy/redeploy');
  const items = rpcAdditionItems({ rpcPlaybooksDir: rpcPlaybooksDir(rt), ...rt.config.rpcAdditions });
  return [rpcmVariablesStep(rt), ...items.map((item) => rpcAdditionStep(rt, item))];
}

/** deploy-rpc-playbooks.sh copies RPC-O's user_rpcm_variables.yml when the deploy folder has none (MaaS reads it). */
function rpcmVariablesStep(rt: LeapRuntime): Step {
  return {
    id: 'newton/rpc/rpcm-variables',
    title: "user_rpcm_variables.yml copied from RPC-O's template when the deploy folder has none",
    async run(ctx) {
      const { installRpcmVariables } = await import('@leap/osa-deploy');
      const result = await installRpcmVariables({ rpcDefaultsDir: rpcDefaultsDir(rt), configDir: rt.config.deployDir });
      if (!result.created) return `${result.file} kept as it is`;
      ctx.log(`created ${result.file}`, {
        kind: 'config-changes',
        changes: [{ file: result.file, action: 'created', detail: "RPC-O's r14.1.0 template" }],
      });
      return `created ${result.file}`;
    },
  };
}

/** An RPC addition's playbook; one whose switch leap.yaml leaves unset first asks what the Kilo deployment had. */
function rpcAdditionStep(rt: LeapRuntime, item: RpcAdditionItem): Step {
  const step = playbookStep(rt, item);
  const { ifKiloHad } = item;
  if (ifKiloHad === undefined) return step;
  return {
    ...step,
    title: `${step.title} (if the Kilo deployment had it: rpcAdditions.${ifKiloHad} is unset)`,
    async run(ctx) {
      const { kiloRpcAdditions } = await import('@leap/osa-deploy');
      const kilo = (await kiloRpcAdditions(rt.config.deployDir))[ifKiloHad];
      ctx.log(`rpcAdditions.${ifKiloHad}: ${kilo.had ? 'on' : 'off'}, ${kilo.why}`, {
        kind: 'rpc-addition-switch',
        switch: ifKiloHad,
        ...kilo,
      });
      if (!kilo.had) return `not run: ${kilo.why} (set rpcAdditions.${ifKiloHad} in leap.yaml to decide)`;
      return step.run(ctx);
    },
  };
}

/** The summary shown at confirmation 2: key names only, never a value. */
async function redeploySummary(rt: LeapRuntime): Promise<string> {
  const { readJournal, journalPath } = await import('@leap/markers');
  const { entries } = await readJournal(journalPath(rt.config.markerDir));
  const { destroyHostsFor } = (await import('@leap/osa-deploy')).newton;
  return redeploySummaryText(
    entries as unknown as Array<Record<string, unknown>>,
    destroyHostsFor({ swift: rt.config.redeploy.swift }),
  );
}

interface Listed {
  file: string;
  action: string;
  key?: string;
}

/** Confirmation 2's text from the journal: config changes, the RPC variables review list, the secrets keys added. */
export function redeploySummaryText(entries: ReadonlyArray<Record<string, unknown>>, destroyHosts: string): string {
  const of = (kind: string) => entries.filter((e) => e.kind === kind);
  const changes = of('config-changes').flatMap((e) => (Array.isArray(e.changes) ? (e.changes as Listed[]) : []));
  const keyed = (e: Record<string, unknown>, field: string) =>
    Array.isArray(e[field]) ? (e[field] as Array<{ key: string; file?: string }>) : [];
  // The last rpc-variables entry is the run that migrated; a resumed no-op run logs empty lists.
  const rpc = of('rpc-variables')
    .filter((e) => keyed(e, 'conflicts').length + keyed(e, 'pinned').length > 0)
    .at(-1);
  const review: Listed[] =
    rpc === undefined
      ? []
      : [
          ...keyed(rpc, 'conflicts').map((c) => ({
            file: c.file ?? '',
            action: 'operator value kept over the new default:',
            key: c.key,
          })),
          ...keyed(rpc, 'pinned').map((c) => ({
            file: c.file ?? '',
            action: 'pinned (the new load order would change it):',
            key: c.key,
          })),
        ];
  const secrets = changes.filter((c) => /secret/.test(c.file));
  const variables = changes.filter((c) => !/secret/.test(c.file));
  const list = (items: Listed[]) =>
    items.map((c) => `    ${[c.action, c.key, `(${c.file.split('/').pop()})`].filter(Boolean).join(' ')}`).join('\n') ||
    '    none';
  return [
    'Before the re-deploy: review the migrated configuration in the deploy folder.',
    `  variables (${summariseChanges(variables)}):`,
    list(variables),
    `  RPC variables to review (${review.length}):`,
    list(review),
    `  secrets, keys only (${summariseChanges(secrets)}):`,
    list(secrets),
    `  containers destroyed with their data: ${destroyHosts}`,
    '  rebuilt keeping their data: galera, rsyslog; kept running: one set of old neutron agents containers',
  ].join('\n');
}
