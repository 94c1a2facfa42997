// F5 generation, diff and tmsh round trip on synthetic OSA inventories of 100, 1,000 and 5,000 hosts.
// Prints Markdown (median/min/max in ms). Reproduce: npm run build && node bench/f5/diff.bench.mjs
import { performance } from 'node:perf_hooks';
import { emitConfig, formatPlan, generateConfig, parseTmsh, planF5Upgrade } from '../../packages/f5/dist/index.js';

const GROUPS = [
  'galera',
  'glance_api',
  'glance_registry',
  'heat_api',
  'heat_api_cfn',
  'heat_api_cloudwatch',
  'keystone',
  'neutron_server',
  'nova_api_metadata',
  'nova_api_os_compute',
  'nova_console',
  'cinder_api',
  'horizon',
  'pkg_repo',
  'swift_proxy',
  'elasticsearch',
  'kibana',
];

/** An inventory shaped like OSA's: component groups of containers, repo_all → pkg_repo, hostvars with container_address. */
function syntheticInventory(hosts) {
  const inventory = {
    _meta: { hostvars: {} },
    all: {
      vars: {
        container_cidr: '10.0.0.0/8',
        internal_lb_vip_address: '10.0.0.10',
        external_lb_vip_address: '203.0.113.10',
      },
    },
    repo_all: { children: ['pkg_repo'], hosts: [] },
  };
  for (const group of GROUPS) inventory[group] = { children: [], hosts: [] };
  for (let i = 0; i < hosts; i += 1) {
    const group = GROUPS[i % GROUPS.length];
    const name = `infra${i}_${group}_container-${(0x10000000 + i).toString(16)}`;
    inventory[group].hosts.push(name);
    const address = `10.${1 + Math.floor(i / 65536)}.${Math.floor(i / 256) % 256}.${i % 256}`;
    inventory._meta.hostvars[name] = { container_address: address, container_name: name };
  }
  return inventory;
}

function measure(runs, fn) {
  const times = [];
  for (let i = 0; i < runs; i += 1) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const fmt = (ms) => ms.toFixed(1);
  return `${fmt(times[Math.floor(times.length / 2)])} | ${fmt(times[0])} | ${fmt(times[times.length - 1])}`;
}

const options = { sslDomain: 'cloud.example.com' };
const rows = [];
for (const hosts of [100, 1000, 5000]) {
  const inventory = syntheticInventory(hosts);
  const newton = generateConfig('newton', inventory, options).config;
  const text = emitConfig(newton);
  const runs = hosts >= 5000 ? 5 : 9;
  rows.push(
    `| ${hosts} | ${newton.objects.length} | generate newton | ${measure(runs, () => generateConfig('newton', inventory, options))} |`,
  );
  rows.push(
    `| ${hosts} | ${newton.objects.length} | plan kilo→newton + tmsh runbook | ${measure(runs, () => formatPlan(planF5Upgrade(inventory, options), 'tmsh'))} |`,
  );
  rows.push(
    `| ${hosts} | ${newton.objects.length} | parse emitted newton config (${(text.length / 1024).toFixed(0)} KiB) | ${measure(runs, () => parseTmsh(text))} |`,
  );
  rows.push(
    `| ${hosts} | ${newton.objects.length} | plan with --current (parse + diff + runbook) | ${measure(runs, () => formatPlan(planF5Upgrade(inventory, { ...options, current: { text } }), 'tmsh'))} |`,
  );
}

console.log(
  'Synthetic inventories: containers spread over the 17 F5 component groups; the device text is the emitted Newton configuration.\n',
);
console.log('| hosts | objects | operation | median ms | min ms | max ms |');
console.log('|---:|---:|---|---:|---:|---:|');
console.log(rows.join('\n'));
