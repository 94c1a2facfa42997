#!/usr/bin/env node
// Generate, load, validate and upgrade (Liberty, Mitaka, Newton) a Kilo inventory of 100, 1,000 and 5,000
// physical hosts, on real files in a temp folder. Prints Markdown: median/min/max of each phase.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  kiloEnvdDir,
  loadEnvironmentDir,
  loadUserConfig,
  readInventory,
  upgradeInventory,
  writeKiloInventory,
  checkHostnames,
} from '../../packages/inventory/dist/index.js';
import { formatPlan, planF5Upgrade } from '../../packages/f5/dist/index.js';

const SIZES = (process.env.BENCH_SIZES ?? '100,1000,5000').split(',').map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

function ip(n) {
  return `10.${16 + (n >> 16)}.${(n >> 8) & 255}.${n & 255}`;
}

/** A Kilo user config: one infra host per 50 hosts (at least 3), the rest computes; addresses from a /12. */
function userConfig(hosts) {
  const infra = Math.max(3, Math.round(hosts / 50));
  const block = (names) =>
    names.map((n, i) => `  ${n}:\n    ip: ${ip(1000 + i + (n.startsWith('compute') ? infra : 0))}\n`).join('');
  const infraNames = Array.from({ length: infra }, (_, i) => `infra${i + 1}`);
  const computeNames = Array.from({ length: hosts - infra }, (_, i) => `compute${i + 1}`);
  const groups = [
    'shared-infra_hosts',
    'repo-infra_hosts',
    'os-infra_hosts',
    'identity_hosts',
    'network_hosts',
    'storage-infra_hosts',
    'log_hosts',
  ];
  return [
    'cidr_networks:\n  container: 10.16.0.0/12\n  tunnel: 10.32.0.0/12\n  storage: 10.48.0.0/12\n',
    'used_ips:\n  - "10.16.0.1,10.16.0.255"\n',
    'global_overrides:\n  internal_lb_vip_address: 10.16.0.10\n  external_lb_vip_address: 203.0.113.10\n  management_bridge: br-mgmt\n',
    '  provider_networks:\n',
    '    - network: {container_bridge: br-mgmt, container_type: veth, container_interface: eth1, ip_from_q: container, type: raw, group_binds: [all_containers, hosts], is_container_address: true, is_ssh_address: true}\n',
    '    - network: {container_bridge: br-vxlan, container_type: veth, container_interface: eth10, ip_from_q: tunnel, type: vxlan, range: "1:1000", net_name: vxlan, group_binds: [neutron_linuxbridge_agent]}\n',
    '    - network: {container_bridge: br-storage, container_type: veth, container_interface: eth2, ip_from_q: storage, type: raw, group_binds: [glance_api, cinder_api, cinder_volume, nova_compute]}\n',
    ...groups.map((g) => `${g}:\n${block(infraNames)}`),
    `compute_hosts:\n${block(computeNames)}`,
  ].join('');
}

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], min: s[0], max: s[s.length - 1] };
};
const fmt = (ms) => `${ms.toFixed(0)} ms`;

const rows = [];
const totals = new Map();
for (const hosts of SIZES) {
  const phases = {
    generate: [],
    'load + validate': [],
    'upgrade L+M+N': [],
    'F5 plan (diff + tmsh)': [],
    hostnames: [],
    total: [],
    'total CPU time': [],
  };
  let entries = 0;
  for (let run = 0; run < RUNS; run++) {
    const root = mkdtempSync(join(tmpdir(), 'leap-bench-inv-'));
    try {
      const deployDir = join(root, 'openstack_deploy');
      const backupDir = join(root, 'backup');
      mkdirSync(deployDir);
      cpSync(kiloEnvdDir(), join(deployDir, 'env.d'), { recursive: true });
      writeFileSync(join(deployDir, 'openstack_user_config.yml'), userConfig(hosts));
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await writeKiloInventory({ deployDir, seed: run, backupDir });
      const t1 = performance.now();
      await loadUserConfig(deployDir);
      await loadEnvironmentDir(join(deployDir, 'env.d'));
      const inventory = await readInventory(join(deployDir, 'openstack_inventory.json'));
      entries = Object.keys(inventory._meta.hostvars).length;
      const t2 = performance.now();
      for (const release of ['liberty', 'mitaka', 'newton'])
        await upgradeInventory(release, { deployDir, backupDir, seed: run });
      const t3 = performance.now();
      const upgraded = await readInventory(join(deployDir, 'openstack_inventory.json'));
      formatPlan(planF5Upgrade(upgraded, { publicVip: '203.0.113.10', sslDomain: 'cloud.example.com' }), 'tmsh');
      const t4 = performance.now();
      const cpu = process.cpuUsage(c0);
      checkHostnames(upgraded);
      const t5 = performance.now();
      phases.generate.push(t1 - t0);
      phases['load + validate'].push(t2 - t1);
      phases['upgrade L+M+N'].push(t3 - t2);
      phases['F5 plan (diff + tmsh)'].push(t4 - t3);
      phases.hostnames.push(t5 - t4);
      phases.total.push(t4 - t0);
      phases['total CPU time'].push((cpu.user + cpu.system) / 1000);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }
  totals.set(hosts, stats(phases.total).median);
  for (const [phase, xs] of Object.entries(phases)) {
    const { median, min, max } = stats(xs);
    rows.push(`| ${hosts} | ${entries} | ${phase} | ${fmt(median)} | ${fmt(min)} | ${fmt(max)} |`);
  }
}

console.log(`Inventory generate → load/validate → upgrade (Liberty, Mitaka, Newton), ${RUNS} runs each, real files in a temp folder.
"total" = generate + load/validate + the three upgrades + the F5 plan (the target for 1,000 hosts: under 1 s); "total CPU time" is the
same span in CPU time of this process, which a busy machine inflates less than wall time. Load average at start: ${loadavg()[0]?.toFixed(1)}.

| physical hosts | inventory entries | phase | median | min | max |
|---:|---:|---|---:|---:|---:|
${rows.join('\n')}

${linearity()}

Reproduce: \`npm run build && node bench/inventory/inventory.bench.mjs\` (\`BENCH_SIZES=1000 BENCH_RUNS=3\` to narrow).`);

function linearity() {
  const sizes = [...totals.keys()].sort((a, b) => a - b);
  if (sizes.length < 2) return '';
  const perHost = sizes.map((h) => `${h} hosts: ${(totals.get(h) / h).toFixed(3)} ms/host`);
  // The smallest size is mostly fixed costs (module load, JIT warm-up); linearity shows between the two largest.
  const first = sizes.at(-2);
  const last = sizes.at(-1);
  const growth = totals.get(last) / totals.get(first) / (last / first);
  const thousand = totals.get(1000);
  return (
    `Per host (median total): ${perHost.join('; ')}. From ${first} to ${last} hosts the time grows ${growth.toFixed(2)}× as fast as the host count ` +
    `(1.00 = linear).${thousand === undefined ? '' : ` 1,000 hosts: ${thousand.toFixed(0)} ms (target < 1,000 ms: ${thousand < 1000 ? 'met' : 'missed'}).`}`
  );
}
