import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { copyFileAtomic, writeFileAtomic } from '@leap/contract';
import { OsaDeployError } from './errors.js';
import { parsePins, pinKey, unpinnedRequirements } from './pip-pins.js';
import { getPipUrl, pipUnifyAptPackages, pipUnifyTools, upgradeRequirements } from './releases/newton.js';

/** get-pip.py on the deploy host, with the sha256 leap.yaml expects of it. */
export interface GetPipSource {
  file: string;
  sha256: string;
}

export interface PreparePipUnifyOptions {
  /** The target release's openstack-ansible checkout: its global-requirement-pins.txt is the constraint file. */
  osaDir: string;
  getPip: GetPipSource;
  /** A folder on the deploy host holding a wheel (or sdist) for every package installed: the hosts use no index. */
  wheels?: string;
  /** The folder pip-unify.yml copies to every host (leap_pip_unify_dir); replaced whole. */
  outDir: string;
}

/** What pip-unify.yml reads from manifest.json: the checks it makes on each host. */
export interface PipUnifyManifest {
  getPipSha256: string;
  /** name → version every host's `pip freeze --all` must show afterwards. */
  pins: Record<string, string>;
  aptPackages: readonly string[];
  /** True when wheels/ was given: pip runs with --no-index --find-links. */
  wheels: boolean;
}

export interface PreparedPipUnify {
  dir: string;
  manifest: PipUnifyManifest;
  constraintsFile: string;
}

/**
 * The folder pip-unify.yml pushes to every physical host, made on the deploy host before the downtime so that
 * a wrong get-pip.py, a target checkout without pins or an incomplete wheel folder fails the leap before any
 * service stops: get-pip.py (sha256 checked), the target's global-requirement-pins.txt as constraints.txt,
 * upstream's upgrade requirements, the wheels, and manifest.json (written last: its presence means complete).
 */
export async function preparePipUnify(options: PreparePipUnifyOptions): Promise<PreparedPipUnify> {
  const constraintsFile = join(options.osaDir, 'global-requirement-pins.txt');
  const constraints = await readConstraints(constraintsFile);
  const targetPins = parsePins(constraints);
  const pins = checkedPins(targetPins, constraintsFile);
  const getPipSha256 = await checkGetPip(options.getPip);
  const wheelFiles = options.wheels === undefined ? undefined : await checkWheels(options.wheels, pins);

  await rm(options.outDir, { recursive: true, force: true });
  await mkdir(options.outDir, { recursive: true });
  await copyFileAtomic(options.getPip.file, join(options.outDir, 'get-pip.py'));
  await writeFileAtomic(join(options.outDir, 'constraints.txt'), constraints);
  await writeFileAtomic(join(options.outDir, 'requirements.txt'), requirementsText(targetPins));
  if (wheelFiles !== undefined) {
    await mkdir(join(options.outDir, 'wheels'));
    for (const name of wheelFiles)
      await copyFileAtomic(join(options.wheels!, name), join(options.outDir, 'wheels', name));
  }
  const manifest: PipUnifyManifest = {
    getPipSha256,
    pins,
    aptPackages: pipUnifyAptPackages,
    wheels: wheelFiles !== undefined,
  };
  await writeFileAtomic(join(options.outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return { dir: options.outDir, manifest, constraintsFile };
}

async function readConstraints(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    throw new OsaDeployError('LEAP_PIP_PINS_MISSING', `${file} does not exist: the target's pip pins are unknown`, {
      file,
      hint: 'check that the openstack-ansible checkout (rpcoDir in leap.yaml) is at the target tag; the git steps put it there',
    });
  }
}

/**
 * The versions each host must end with: upstream's upgrade requirements, where the target release pins a package
 * its pin instead (the constraint is what pip obeys). pip, setuptools and wheel must be pinned by the target.
 */
function checkedPins(targetPins: ReadonlyMap<string, { name: string; version: string }>, file: string) {
  const missing = pipUnifyTools.filter((tool) => !targetPins.has(pinKey(tool)));
  if (missing.length > 0) {
    throw new OsaDeployError('LEAP_PIP_PINS_INVALID', `${file} pins no exact version of ${missing.join(', ')}`, {
      file,
      hint: "leap pins the hosts' pip tools to the target release's versions; check that the checkout is the target's",
    });
  }
  const pins: Record<string, string> = {};
  for (const [name, version] of Object.entries(upgradeRequirements)) {
    pins[name] = targetPins.get(pinKey(name))?.version ?? version;
  }
  return pins;
}

/** requirements.txt: the upgrade requirements, each left to the constraint where the target pins it. */
function requirementsText(targetPins: ReadonlyMap<string, { name: string; version: string }>): string {
  return `${unpinnedRequirements(upgradeRequirements, targetPins).join('\n')}\n`;
}

/** get-pip.py exists and has the sha256 leap.yaml expects; returns the sha256. */
export async function checkGetPip(source: GetPipSource): Promise<string> {
  if (!existsSync(source.file)) {
    throw new OsaDeployError('LEAP_GET_PIP_MISSING', `get-pip.py is not at ${source.file}`, {
      file: source.file,
      hint: `download ${getPipUrl} to ${source.file} once (the hosts fetch nothing during the downtime) and put its sha256 in pipUnify.getPip.sha256 in leap.yaml`,
    });
  }
  const actual = createHash('sha256')
    .update(await readFile(source.file))
    .digest('hex');
  if (actual !== source.sha256.toLowerCase()) {
    throw new OsaDeployError(
      'LEAP_GET_PIP_SHA256_MISMATCH',
      `${source.file} has sha256 ${actual}, not the ${source.sha256.toLowerCase()} leap.yaml expects; nothing was pushed`,
      {
        file: source.file,
        hint: 'download get-pip.py again, or put the sha256 of the file you trust in pipUnify.getPip.sha256 in leap.yaml',
      },
    );
  }
  return actual;
}

/** The wheel folder's files; each pinned package must have one (`<name>-<version>` with `-` as `_` in the name). */
async function checkWheels(folder: string, pins: Record<string, string>): Promise<string[]> {
  const isFolder = await stat(folder).then(
    (info) => info.isDirectory(),
    () => false,
  );
  if (!isFolder) {
    throw new OsaDeployError('LEAP_PIP_WHEELS_INCOMPLETE', `the wheel folder ${folder} does not exist`, {
      file: folder,
      hint: 'create it with `pip download` of the pinned packages, or remove pipUnify.wheels from leap.yaml to use the index the hosts are configured with',
    });
  }
  const files = (await readdir(folder)).filter((name) => /\.(whl|tar\.gz|zip)$/.test(name)).sort();
  const missing = Object.entries(pins).filter(
    ([name, version]) => !files.some((file) => isDistOf(file, name, version)),
  );
  if (missing.length > 0) {
    throw new OsaDeployError(
      'LEAP_PIP_WHEELS_INCOMPLETE',
      `the wheel folder ${folder} has no file for ${missing.map(([name, version]) => `${name}==${version}`).join(', ')}`,
      {
        file: folder,
        hint: `add them (pip download --no-deps ${missing.map(([n, v]) => `${n}==${v}`).join(' ')} on a machine with the index, for Python 2.7), with their dependencies`,
      },
    );
  }
  return files;
}

/** Whether a wheel or sdist file name is `<name>-<version>` (wheels write the name's `-` as `_`; case ignored). */
function isDistOf(file: string, name: string, version: string): boolean {
  const lower = file.toLowerCase();
  return [name.replace(/-/g, '_'), name.replace(/_/g, '-')].some((spelling) => {
    const prefix = `${spelling.toLowerCase()}-${version}`;
    return lower.startsWith(prefix) && /^[-.]/.test(lower.slice(prefix.length));
  });
}
