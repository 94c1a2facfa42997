import { requireCommand, tempDir } from '@leap/test-fixtures';
import { beforeAll, describe, expect, it } from 'vitest';
import { ansibleHostVars, OsaDeployError } from '../src/index.js';
import { writeInventory } from './helpers.js';

beforeAll(() => {
  requireCommand('ansible-playbook');
});

function inventory(dir: string): string[] {
  return [
    writeInventory(
      dir,
      { galera_all: ['galera1', 'galera2'], utility_all: ['utility1'], lost: ['gone'] },
      {
        unreachable: ['gone'],
        hostVars: { galera1: { leap_galera_port: '3307' }, galera2: { physical_host: 'infra2' } },
      },
    ),
  ];
}

describe('ansibleHostVars', () => {
  it("reads each host's variables as Ansible resolves them: inventory, extra vars and templates over both", async () => {
    const values = await ansibleHostVars({
      pattern: 'galera1:galera2',
      names: ['leap_galera_port', 'leap_root', 'leap_service_command', 'not_set_anywhere'],
      inventory: inventory(tempDir()),
      extraVars: {
        leap_root: "/hosts/{{ physical_host | default('infra1') }}/{{ inventory_hostname }}",
        leap_service_command: ['/lab/bin/lab-service', '{{ leap_root }}'],
      },
    });
    expect(Object.fromEntries(values)).toEqual({
      galera1: {
        leap_galera_port: 3307,
        leap_root: '/hosts/infra1/galera1',
        leap_service_command: ['/lab/bin/lab-service', '/hosts/infra1/galera1'],
      },
      galera2: {
        leap_root: '/hosts/infra2/galera2',
        leap_service_command: ['/lab/bin/lab-service', '/hosts/infra2/galera2'],
      },
    });
  });

  it('connects to no host: an unreachable one still answers with its variables', async () => {
    const values = await ansibleHostVars({
      pattern: 'gone',
      names: ['inventory_hostname'],
      inventory: inventory(tempDir()),
    });
    expect(values.get('gone')).toEqual({ inventory_hostname: 'gone' });
  });

  it('fails naming the host and the variables when a template cannot be evaluated', async () => {
    const error = await ansibleHostVars({
      pattern: 'galera1',
      names: ['leap_galera_port'],
      inventory: inventory(tempDir()),
      extraVars: { leap_galera_port: '{{ leap_lab_ports[inventory_hostname] }}' },
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OsaDeployError);
    expect((error as OsaDeployError).code).toBe('LEAP_HOST_VARS_FAILED');
    expect((error as OsaDeployError).message).toMatch(
      /^ansible could not read leap_galera_port of galera1: .*leap_lab_ports/,
    );
  });

  it('fails with LEAP_NO_HOSTS_MATCHED for a pattern matching nothing, and refuses a name that is not a variable', async () => {
    const none = await ansibleHostVars({
      pattern: 'nothing_here',
      names: ['x'],
      inventory: inventory(tempDir()),
    }).catch((caught: unknown) => caught);
    expect((none as OsaDeployError).code).toBe('LEAP_NO_HOSTS_MATCHED');
    const bad = await ansibleHostVars({ pattern: 'galera1', names: ['x }}{{ lookup("pipe", "id")'] }).catch(
      (caught: unknown) => caught,
    );
    expect((bad as OsaDeployError).code).toBe('LEAP_HOST_VARS_BAD_NAME');
  });
});
