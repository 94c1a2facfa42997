import { createHash } from 'node:crypto';
import { createWriteStream, mkdirSync, rmSync, symlinkSync, writeFileSync, chmodSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { execa } from 'execa';
import { labAsset } from './assets.js';
import { readSchemaTable } from './schema-table.js';

export const VENV_RELEASES = ['liberty', 'mitaka', 'newton'] as const;
export type VenvRelease = (typeof VENV_RELEASES)[number];

/** A release's migration venv as leap.yaml gives a tarball: where it is, its sha256, where it goes on the hosts. */
export interface LabVenvTarball {
  file: string;
  sha256: string;
  path: string;
}

/**
 * dir/venv-tarballs/openstack-ansible-<release>-eol.tgz: the migration venvs as upstream builds them, a virtualenv
 * made for upstream's build path (/opt/leap42/venvs/…, which does not exist here) so its commands start only once
 * leap has relocated it. Its interpreter bin/node links to this Node; its commands are the lab's stand-ins, and
 * find the lab two folders above the venv (leap.yaml puts it at <lab>/opt/<name>). The same bytes in every lab.
 */
export async function writeVenvTarballs(dir: string): Promise<Record<VenvRelease, LabVenvTarball>> {
  const table = readSchemaTable();
  const out = join(dir, 'venv-tarballs');
  const buildRoot = join(dir, '.venv-build');
  mkdirSync(out, { recursive: true });
  const tarballs = {} as Record<VenvRelease, LabVenvTarball>;
  for (const release of VENV_RELEASES) {
    const name = `openstack-ansible-${release}-eol`;
    writeVenv(join(buildRoot, name), `/opt/leap42/venvs/${name}`, release, table.commands[release] ?? []);
    const file = join(out, `${name}.tgz`);
    const sha256 = await packDeterministic(buildRoot, name, file);
    tarballs[release] = { file, sha256, path: join(dir, 'opt', name) };
  }
  rmSync(buildRoot, { recursive: true, force: true });
  return tarballs;
}

function writeVenv(at: string, buildPath: string, release: VenvRelease, commands: readonly string[]): void {
  mkdirSync(join(at, 'bin'), { recursive: true });
  mkdirSync(join(at, 'lib', 'leap-lab'), { recursive: true });
  writeFileSync(
    join(at, 'bin', 'activate'),
    `# This file must be used with "source bin/activate" *from bash*\nVIRTUAL_ENV="${buildPath}"\nexport VIRTUAL_ENV\n` +
      'PATH="$VIRTUAL_ENV/bin:$PATH"\nexport PATH\n',
  );
  symlinkSync(process.execPath, join(at, 'bin', 'node'));
  // CommonJS whatever package.json encloses the folder it lands in: the commands have no extension.
  writeFileSync(join(at, 'package.json'), '{ "type": "commonjs" }\n');
  copyFileSync(labAsset('releases/lib/manage.cjs'), join(at, 'lib', 'leap-lab', 'manage.cjs'));
  copyFileSync(labAsset('releases/lib/schema-versions.json'), join(at, 'lib', 'leap-lab', 'schema-versions.json'));
  writeFileSync(join(at, 'lib', 'leap-lab', 'venv.json'), `${JSON.stringify({ release })}\n`);
  for (const command of commands) {
    const file = join(at, 'bin', command);
    writeFileSync(
      file,
      `#!${buildPath}/bin/node\n// Lab stand-in for ${release}'s ${command}; see ../lib/leap-lab/manage.cjs.\n` +
        `require('../lib/leap-lab/manage.cjs').run(__filename, process.argv.slice(2));\n`,
    );
    chmodSync(file, 0o755);
  }
}

/** tar with sorted names, fixed times and owners, gzipped without a timestamp: the same bytes for the same files. */
async function packDeterministic(cwd: string, name: string, file: string): Promise<string> {
  const tar = execa(
    'tar',
    ['--sort=name', '--mtime=@0', '--owner=0', '--group=0', '--numeric-owner', '-cf', '-', '-C', cwd, name],
    { stdout: 'pipe', encoding: 'buffer', buffer: false },
  );
  const hash = createHash('sha256');
  const gzip = createGzip();
  gzip.on('data', (chunk: Buffer) => hash.update(chunk));
  await Promise.all([pipeline(tar.stdout!, gzip, createWriteStream(file)), tar]);
  return hash.digest('hex');
}
