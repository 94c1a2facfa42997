import { join, relative } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareDigests, digestTree, makeTempDir } from '@leap/test-fixtures';
import { createLab, destroyLab, type LabInfo } from '@leap/lab';
import { MarkerStore, openJournal, runPlan, type Plan } from '@leap/markers';
import { loadConfig, type LeapConfig } from '../src/config.js';
import { createRuntime } from '../src/commands/shared.js';
import { buildLeapPlan, type LeapPlan } from '../src/plan/build-plan.js';

let root: string;
let lab: LabInfo;
let config: LeapConfig;
let leap: LeapPlan;

beforeAll(async () => {
  root = makeTempDir('leap-redeploy-preparation-');
  lab = await createLab(join(root, 'lab'), { singleDb: true, seed: 'preparation' });
  config = await loadConfig({ config: lab.paths.leapYaml });
  const io = { stdout: () => undefined, stderr: () => undefined };
  const rt = createRuntime(config, io, { interactive: false, confirmSource: 'kilo', confirmRedeploy: true });
  leap = await buildLeapPlan('kilo', rt);
}, 240_000);

afterAll(async () => {
  if (lab !== undefined) await destroyLab(lab.dir).catch(() => undefined);
  await execa('rm', ['-rf', root]);
});

/** Runs the plan's steps up to (not including) `stopAt`, resuming from what is done. */
async function runUpTo(stopAt: string): Promise<void> {
  const steps = leap.plan.steps.slice(
    0,
    leap.plan.steps.findIndex((s) => s.id === stopAt),
  );
  const journal = openJournal(config.markerDir);
  try {
    const plan: Plan = { ...leap.plan, steps };
    await runPlan(plan, { store: new MarkerStore(config.markerDir), journal, acceptPlanChange: true });
  } finally {
    journal.close();
  }
}

/** The whole lab but the deploy folder, the backups (config backups go there) and the database's own files. */
function everythingElse() {
  const skipped = [config.deployDir, config.backupDir, join(lab.dir, 'mysql')].map((p) => relative(lab.dir, p));
  return digestTree(lab.dir, ['.'], (rel) => skipped.some((s) => rel === s || rel.startsWith(`${s}/`)));
}

describe('the re-deploy preparation, now before services/power-down (issue 25)', () => {
  it(
    'writes the deploy folder files the Newton re-deploy reads, /etc/hosts and apt sources; no container or service file',
    { timeout: 600_000 },
    async () => {
      const section = leap.sections.find((s) => s.name === 're-deploy preparation')!;
      const ids = leap.plan.steps.map((s) => s.id);
      expect(section.stepIds).toEqual([
        'redeploy/rpc-variables',
        'redeploy/rpc-secrets',
        'redeploy/short-hostnames',
        'newton/hosts-alias',
        'redeploy/confirm',
        'redeploy/leapfrog-overrides',
        'redeploy/rpc-apt-sources',
        'redeploy/pip-unify-files',
      ]);
      // The routers' L3 agents are recorded for leap verify just before the services stop.
      expect(ids.slice(ids.indexOf('redeploy/pip-unify-files') + 1).slice(0, 2)).toEqual([
        'services/router-map',
        'services/power-down',
      ]);

      await runUpTo('redeploy/rpc-variables');
      const hostsBefore = everythingElse();
      const deployBefore = digestTree(config.deployDir, ['.'], (rel) => rel.startsWith('upgrade-leap'));
      await runUpTo('services/power-down');
      const hostsAfter = everythingElse();
      const deployAfter = digestTree(config.deployDir, ['.'], (rel) => rel.startsWith('upgrade-leap'));

      // The stand-in services' configuration and state live in the host and container folders: untouched. The hosts
      // change only where no service reads: the physical hosts' /etc/hosts alias line (newton/hosts-alias) and /etc/apt
      // (RPC's apt sources; the stand-in records its run in ran.log). openstack.log: the lab clients' call log, written
      // when services/router-map reads the routers (a read, no change to the cloud).
      const onHosts = compareDigests(hostsBefore, hostsAfter);
      console.log(
        `the re-deploy preparation changed on the hosts: ${[...onHosts.added, ...onHosts.changed].join(', ')}`,
      );
      expect(onHosts.removed).toEqual([]);
      for (const file of [...onHosts.added, ...onHosts.changed]) {
        expect(file).toMatch(/(^|\/)ran\.log$|^openstack\.log$|^hosts\/[^/]+\/etc\/hosts$|\/etc\/apt\//);
      }
      const changes = compareDigests(deployBefore, deployAfter);
      const touched = [...changes.added, ...changes.removed, ...changes.changed].sort();
      // Only top-level user_*.yml files: what openstack-ansible loads for the re-deploy, never a service.
      console.log(`the re-deploy preparation changed in the deploy folder: ${touched.join(', ')}`);
      expect(touched.length).toBeGreaterThan(0);
      for (const file of touched) expect(file).toMatch(/^user_[\w.-]+\.yml$/);
      expect(changes.added).toEqual(
        expect.arrayContaining(['user_leapfrog_overrides.yml', 'user_osa_secrets.yml', 'user_rpco_secrets.yml']),
      );
    },
  );
});
