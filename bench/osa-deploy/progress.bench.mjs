// Throughput of the progress parser on a synthetic openstack-ansible output (a 200-host, 400-task run).
import { ProgressParser } from '../../packages/osa-deploy/dist/index.js';

const hosts = Array.from({ length: 200 }, (_, i) => `infra${i}_nova_api_container-${i.toString(16).padStart(8, '0')}`);
const lines = ['PLAY [Install nova] ****'];
for (let task = 0; task < 400; task += 1) {
  lines.push(`TASK [os_nova : task ${task}] ****`);
  for (const host of hosts) lines.push(task % 7 === 0 ? `changed: [${host}]` : `ok: [${host}]`);
}
lines.push(
  'PLAY RECAP ****',
  ...hosts.map((host) => `${host} : ok=400 changed=58 unreachable=0 failed=0 skipped=0 rescued=0 ignored=0`),
);
const text = `${lines.join('\n')}\n`;
let events = 0;
const runs = 5;
const started = performance.now();
for (let run = 0; run < runs; run += 1) {
  const parser = new ProgressParser('bench', () => {
    events += 1;
  });
  for (let at = 0; at < text.length; at += 65536) parser.push(text.slice(at, at + 65536));
  parser.end();
}
const ms = (performance.now() - started) / runs;
const mb = Buffer.byteLength(text) / 2 ** 20;
console.log(
  `| output | lines | parse time | throughput | events/run |\n|---|---|---|---|---|\n| ${mb.toFixed(1)} MiB | ${lines.length} | ${ms.toFixed(0)} ms | ${(mb / (ms / 1000)).toFixed(0)} MiB/s | ${events / runs} |`,
);
console.log('\nMean of 5 runs, 64 KiB chunks, one callback per event.');
