import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  checkDeployment,
  checkHostnameCompatibility,
  checkHostnames,
  forgetNeutronAgents,
  hostsOfGroup,
  parseInventory,
  parseYamlText,
  serializeInventory,
  writeKiloInventory,
  type Inventory,
} from '../src/index.js';
import { deployment, snapshot } from './helpers.js';

function tiny(names: Record<string, string | null>): Inventory {
  return {
    _meta: {
      hostvars: Object.fromEntries(Object.entries(names).map(([n, physical]) => [n, { physical_host: physical ?? n }])),
    },
  };
}

describe('checkHostnames', () => {
  it('computes the 127.0.1.1 line of each case without the double-dot domain bug', () => {
    const inv = tiny({ infra_1: null, compute1: null, log1: null, infra_1_galera_container_1234abcd: 'infra_1' });
    const report = checkHostnames(inv, {
      openstackDomain: '.openstack.local',
      liveHostnames: { compute1: 'compute1.example', log1: 'log1' },
    });
    expect(report.hostsLines).toEqual({
      infra_1: '127.0.1.1 infra-1.openstack.local infra-1 infra_1',
      compute1: '127.0.1.1 compute1.openstack.local compute1 compute1.example',
      log1: '127.0.1.1 log1.openstack.local log1',
    });
    expect(report.issues.map((i) => i.kind)).toEqual(
      expect.arrayContaining(['domain-leading-dot', 'underscore-in-physical-host', 'alias-needed']),
    );
    expect(checkHostnames(inv, { openstackDomain: '' }).hostsLines.log1).toBe('127.0.1.1 log1');
  });

  it('reports labels over 63 characters and characters outside letters, digits and hyphens', () => {
    const report = checkHostnames(tiny({ ['h'.repeat(64)]: null, 'bad.name!': null }));
    expect(report.issues.filter((i) => i.severity === 'error').map((i) => i.kind)).toEqual([
      'label-too-long',
      'invalid-character',
    ]);
  });
});

describe('checkHostnameCompatibility', () => {
  it('stops with LEAP_HOSTNAME_COLLISION when two inventory names become one hostname, changing nothing', async () => {
    const d = await deployment();
    await writeKiloInventory({ deployDir: d.deployDir, seed: 3, backupDir: d.backupDir });
    const file = join(d.deployDir, 'openstack_inventory.json');
    const inv = parseInventory(readFileSync(file, 'utf8'), file);
    inv._meta.hostvars['infra-1'] = { physical_host: 'infra-1' };
    inv._meta.hostvars.infra_1 = { physical_host: 'infra_1' };
    writeFileSync(file, serializeInventory(inv));
    const before = snapshot(d.root);
    const error = await checkHostnameCompatibility({
      ...d,
      liveHostnames: async () => {
        throw new Error('not asked before the names are checked');
      },
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'LEAP_HOSTNAME_COLLISION' });
    expect((error as Error).message).toContain('infra-1 and infra_1');
    expect(snapshot(d.root)).toEqual(before);
  });

  it('passes the lab, asking the live hostname of every physical host (and only those)', async () => {
    const d = await deployment();
    await writeKiloInventory({ deployDir: d.deployDir, seed: 3, backupDir: d.backupDir });
    const asked: string[][] = [];
    const report = await checkDeployment({
      ...d,
      liveHostnames: async (hosts) => {
        asked.push(hosts);
        return Object.fromEntries(hosts.map((h) => [h, h]));
      },
    });
    expect(report.hosts).toBe(4);
    expect(asked).toHaveLength(1);
    expect(asked[0]).toHaveLength(4);
    expect(asked[0]!.every((h) => !h.includes('_container-'))).toBe(true);
    expect(report.hostnames?.hostsLines.infra1).toBe('127.0.1.1 infra1.openstack.local infra1');
  });

  it('uses the live hostname, not the fact cache the fact cleanup removed just before (issue 19, defect 5)', async () => {
    const d = await deployment();
    await writeKiloInventory({ deployDir: d.deployDir, seed: 3, backupDir: d.backupDir });
    // No ansible_facts folder: as right after `<release>/facts`.
    const report = await checkHostnameCompatibility({
      ...d,
      liveHostnames: async (hosts) => Object.fromEntries(hosts.map((h) => [h, h === 'infra1' ? 'c0042-dfw' : h])),
    });
    expect(report.hostsLines.infra1).toBe('127.0.1.1 infra1.openstack.local infra1 c0042-dfw');
  });

  it("stops with LEAP_HOSTNAME_UNKNOWN when a physical host's live hostname could not be read", async () => {
    const d = await deployment();
    await writeKiloInventory({ deployDir: d.deployDir, seed: 3, backupDir: d.backupDir });
    const error = await checkHostnameCompatibility({ ...d, liveHostnames: async () => ({}) }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'LEAP_HOSTNAME_UNKNOWN',
      host: expect.any(String),
      hint: expect.stringContaining('hostname'),
    });
  });
});

describe('forgetNeutronAgents', () => {
  it('removes the agents containers, reserves their addresses in used_ips and returns their names, once', async () => {
    const d = await deployment();
    await writeKiloInventory({ deployDir: d.deployDir, seed: 3, backupDir: d.backupDir });
    const file = join(d.deployDir, 'openstack_inventory.json');
    const kilo = parseInventory(readFileSync(file, 'utf8'), file);
    const agents = hostsOfGroup(kilo, 'neutron_agents_container');
    const ips = agents.map((a) => kilo._meta.hostvars[a]!.ansible_ssh_host);
    const configBefore = readFileSync(join(d.deployDir, 'openstack_user_config.yml'), 'utf8');

    const report = await forgetNeutronAgents(d);
    expect(report.containers).toEqual(agents);
    expect(report.addresses).toEqual(ips);
    const after = parseInventory(readFileSync(file, 'utf8'), file);
    for (const a of agents) expect(after._meta.hostvars[a]).toBeUndefined();
    expect(hostsOfGroup(after, 'neutron_l3_agent')).toEqual([]);
    const config = readFileSync(join(d.deployDir, 'openstack_user_config.yml'), 'utf8');
    expect(config).toBe(
      configBefore.replace(
        '  - "172.29.244.1,172.29.244.50"\n',
        `  - "172.29.244.1,172.29.244.50"\n${ips.map((ip) => `  - ${ip}\n`).join('')}`,
      ),
    );
    expect((parseYamlText(config, 'c').data as { used_ips: string[] }).used_ips).toEqual(
      expect.arrayContaining(ips as string[]),
    );

    const once = snapshot(d.deployDir);
    const again = await forgetNeutronAgents(d);
    expect(again.containers).toEqual(agents);
    expect(again.changes).toEqual([]);
    expect(snapshot(d.deployDir)).toEqual(once);
  });
});
