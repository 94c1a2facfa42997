import { readFileSync } from 'node:fs';
import { execResult, type Exec, type ExecOptions } from '@leap/contract';

const fixture = (name: string): Array<Record<string, unknown>> =>
  JSON.parse(readFileSync(new URL(`../fixtures/openstack/${name}`, import.meta.url), 'utf8')) as Array<
    Record<string, unknown>
  >;

export interface Call {
  argv: string[];
  env: Record<string, string>;
}

/**
 * The Newton clients of a leapt cloud as a command runner: list commands print the fixtures' rows (real client
 * output), the commands that change things change those rows, so a second cleanup run sees what the first left.
 */
export function fixtureCloud() {
  const state = {
    compute: fixture('compute-service-list.json'),
    volume: fixture('volume-service-list.json'),
    agents: fixture('neutron-agent-list.json'),
    ports: fixture('neutron-dhcp-port-list.json'),
    allPorts: fixture('neutron-port-list.json'),
    routers: fixture('neutron-router-list.json'),
    hosting: JSON.parse(
      readFileSync(new URL('../fixtures/openstack/neutron-l3-agent-list-hosting-router.json', import.meta.url), 'utf8'),
    ) as Record<string, unknown[]>,
    volumesMoved: [] as string[],
  };
  const calls: Call[] = [];
  const ok = (argv: string[], stdout = '') => execResult(argv, { exitCode: 0, stdout });
  const fail = (argv: string[], stderr: string) => execResult(argv, { exitCode: 1, stderr });
  const json = (argv: string[], rows: unknown) => ok(argv, `${JSON.stringify(rows, null, 2)}\n`);
  const without = (rows: Array<Record<string, unknown>>, key: string, value: unknown) =>
    rows.filter((r) => r[key] !== value);

  const answer = (argv: string[]) => {
    const [tool, ...a] = argv;
    const words = a.join(' ');
    if (tool === 'openstack') {
      if (words === 'compute service list -f json') return json(argv, state.compute);
      if (words === 'volume service list -f json') return json(argv, state.volume);
      if (words.startsWith('compute service set --disable ')) {
        const row = state.compute.find((r) => r.Host === a[4] && r.Binary === a[5]);
        if (row === undefined) return fail(argv, `Compute service ${a[5]} of host ${a[4]} failed to set.`);
        row.Status = 'disabled';
        return ok(argv);
      }
      if (words.startsWith('compute service delete ')) {
        if (!state.compute.some((r) => String(r.ID) === a[3]))
          return fail(argv, `Failed to delete compute service with ID '${a[3]}'`);
        state.compute = without(state.compute, 'ID', Number(a[3]));
        return ok(argv);
      }
      if (words.startsWith('volume service set --disable ')) {
        const row = state.volume.find((r) => r.Host === a[4] && r.Binary === a[5]);
        if (row === undefined) return fail(argv, 'Host not found');
        row.Status = 'disabled';
        return ok(argv);
      }
    }
    if (tool === 'neutron') {
      if (words === 'agent-list -f json') return json(argv, state.agents);
      if (words.startsWith('port-list --device_owner network:dhcp ')) return json(argv, state.ports);
      if (words === 'port-list -c id -c network_id -c status -c device_owner -f json')
        return json(argv, state.allPorts);
      if (words === 'router-list -f json') return json(argv, state.routers);
      if (words.startsWith('l3-agent-list-hosting-router ')) return json(argv, state.hosting[a[1] as string] ?? []);
      if (words.startsWith('agent-update --admin-state-down ')) {
        const row = state.agents.find((r) => r.id === a[2]);
        if (row === undefined) return fail(argv, `Unable to find agent with name or id '${a[2]}'`);
        row.admin_state_up = false;
        return ok(argv, `Updated agent: ${a[2]}\n`);
      }
      if (words.startsWith('agent-delete ')) {
        state.agents = without(state.agents, 'id', a[1]);
        return ok(argv, `Deleted agent(s): ${a[1]}\n`);
      }
      if (words.startsWith('port-update --admin-state-up False ')) return ok(argv, `Updated port: ${a[3]}\n`);
      if (words.startsWith('port-delete ')) {
        state.ports = without(state.ports, 'id', a[1]);
        return ok(argv, `Deleted port(s): ${a[1]}\n`);
      }
    }
    if (tool === 'cinder-manage') {
      if (words.startsWith('service remove ')) {
        state.volume = state.volume.filter((r) => !(r.Binary === a[2] && r.Host === a[3]));
        return ok(argv);
      }
      if (words.startsWith('volume update_host --currenthost ')) {
        state.volumesMoved.push(`${a[3]} -> ${a[5]}`);
        return ok(argv);
      }
    }
    return execResult(argv, { exitCode: 2, stderr: `fixture cloud: unknown command ${argv.join(' ')}` });
  };

  const exec: Exec = async (argv: string[], options: ExecOptions = {}) => {
    calls.push({ argv, env: options.env ?? {} });
    return answer(argv);
  };
  return { exec, calls, state };
}
