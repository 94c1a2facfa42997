import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { addSubmodule, createBareOrigin, createRepo, gitSandbox, tag, tempDir } from '../src/index.js';

describe('git fixtures', () => {
  it('builds a repo with a tagged submodule behind bare file:// origins and clones it recursively', async () => {
    const root = tempDir();
    const sandbox = gitSandbox(root);
    const osaSha = await createRepo(sandbox, join(root, 'osa'), { README: 'osa\n' });
    await tag(sandbox, join(root, 'osa'), '14.2.3', 'osa 14.2.3');
    const osaUrl = await createBareOrigin(sandbox, join(root, 'osa'), join(root, 'osa.git'));
    await createRepo(sandbox, join(root, 'rpc'), { README: 'rpc\n' });
    const rpcSha = await addSubmodule(sandbox, join(root, 'rpc'), osaUrl, 'openstack-ansible', osaSha);
    await tag(sandbox, join(root, 'rpc'), 'r14.1.0', 'r14.1.0');
    const rpcUrl = await createBareOrigin(sandbox, join(root, 'rpc'), join(root, 'rpc.git'));

    await sandbox.git(root, ['clone', '-q', '--recurse-submodules', rpcUrl, 'clone']);
    expect(await sandbox.git(join(root, 'clone'), ['rev-parse', 'r14.1.0^{commit}'])).toBe(rpcSha);
    expect(await sandbox.git(join(root, 'clone', 'openstack-ansible'), ['rev-parse', 'HEAD'])).toBe(osaSha);
  });
});
