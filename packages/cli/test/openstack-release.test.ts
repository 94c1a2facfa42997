import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '@leap/test-fixtures';
import { describe, expect, it } from 'vitest';
import { serviceVenvBin } from '../src/plan/openstack-release.js';
import type { LeapRuntime } from '../src/plan/runtime.js';

/** A deploy folder and an rpc-openstack checkout with OSA's group_vars/all.yml (14.2.3, as r14.1.0's submodule). */
function deployment(userFiles: Record<string, string>, rpcRelease: string | null = 'r14.1.0') {
  const dir = tempDir();
  const deployDir = join(dir, 'etc/openstack_deploy');
  const rpcoDir = join(dir, 'opt/rpc-openstack');
  mkdirSync(deployDir, { recursive: true });
  mkdirSync(join(rpcoDir, 'openstack-ansible/playbooks/inventory/group_vars'), { recursive: true });
  writeFileSync(
    join(rpcoDir, 'openstack-ansible/playbooks/inventory/group_vars/all.yml'),
    'openstack_release: 14.2.3\n',
  );
  mkdirSync(join(rpcoDir, 'group_vars/all'), { recursive: true });
  if (rpcRelease !== null) writeFileSync(join(rpcoDir, 'group_vars/all/release.yml'), `rpc_release: "${rpcRelease}"\n`);
  for (const [name, text] of Object.entries(userFiles)) writeFileSync(join(deployDir, name), text);
  return { config: { deployDir, rpcoDir } } as unknown as LeapRuntime;
}

const orElse = 'set it in leap.yaml';

describe('serviceVenvBin', () => {
  it("names the venv after RPC-O's release when RPC-O's defaults set openstack_release to rpc_release", async () => {
    const rt = deployment({ 'user_osa_variables_defaults.yml': '---\nopenstack_release: "{{ rpc_release }}"\n' });
    expect(await serviceVenvBin(rt, 'nova', orElse)).toBe('/openstack/venvs/nova-r14.1.0/bin');
  });

  it("takes OSA's release without a user file setting it, and the last user file's value over an earlier one", async () => {
    expect(await serviceVenvBin(deployment({}), 'cinder', orElse)).toBe('/openstack/venvs/cinder-14.2.3/bin');
    const rt = deployment({
      'user_osa_variables_defaults.yml': 'openstack_release: "{{ rpc_release }}"\n',
      'user_variables.yml': "# openstack_release: nope\nopenstack_release: 'site-1'\n",
    });
    expect(await serviceVenvBin(rt, 'nova', orElse)).toBe('/openstack/venvs/nova-site-1/bin');
  });

  it('fails naming the file and the way out when the release cannot be told', async () => {
    const rt = deployment({ 'user_osa_variables_defaults.yml': 'openstack_release: "{{ rpc_release }}"\n' }, null);
    await expect(serviceVenvBin(rt, 'nova', orElse)).rejects.toMatchObject({
      code: 'LEAP_OPENSTACK_RELEASE_UNKNOWN',
      message: expect.stringContaining('openstack_release is {{ rpc_release }}, and neither a user_*.yml nor'),
      hint: expect.stringContaining(orElse),
    });
    const templated = deployment({ 'user_zz.yml': 'openstack_release: "{{ site_release }}"\n' });
    await expect(serviceVenvBin(templated, 'nova', orElse)).rejects.toMatchObject({
      message: expect.stringContaining('sets openstack_release to {{ site_release }}, which leap cannot evaluate'),
    });
  });
});
