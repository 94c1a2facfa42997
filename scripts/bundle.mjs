#!/usr/bin/env node
// Builds packages/cli/dist/leap.mjs: the whole `leap` command in one file that runs with Node 20 from a folder
// without node_modules (an Ubuntu 14.04 deploy host in a maintenance window has no route to the npm registry).
// Run after `npm run build`. Every JavaScript dependency is inlined; only `node:` builtins stay imports. The files
// the packages read next to their code (playbooks, the Ansible callback, the env.d skeletons, package versions) are
// embedded and written once to a cache folder on first use, since Ansible needs them as real files. `@leap/lab`
// stays out: `leap lab` says how to install it.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'packages/cli/dist/leap.mjs');
const cliVersion = JSON.parse(readFileSync(join(root, 'packages/cli/package.json'), 'utf8')).version;

/** Every file under a folder, as { relative path: base64 }. */
function embedFolder(folder) {
  const files = {};
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else
        files[relative(folder, path)] = {
          mode: statSync(path).mode & 0o777,
          data: readFileSync(path).toString('base64'),
        };
    }
  };
  walk(folder);
  return files;
}

const ASSET_URL = /new URL\('(\.\.\/[\w./-]*\/)', import\.meta\.url\)/g;
const PACKAGE_JSON_READ = /readFileSync\(new URL\('\.\.\/package\.json', import\.meta\.url\), 'utf8'\)/g;
const PACKAGE_JSON_REQUIRE = /createRequire\(import\.meta\.url\)\('\.\.\/package\.json'\)/g;
const LAZY_REQUIRE = /createRequire\(import\.meta\.url\)\('([\w@/.-]+)'\)/g;

/** Rewrites the few places where our packages locate files relative to their own code. */
const embedAssets = {
  name: 'leap-embed-assets',
  setup(b) {
    // The bin runs bundle/ (scripts/bundle-cli.mjs) when installed from npm; this one file is built from dist/.
    b.onResolve({ filter: /^\.\.\/bundle\/main\.js$/ }, () => ({ path: join(root, 'packages/cli/dist/main.js') }));
    b.onLoad({ filter: /[/\\]packages[/\\][\w-]+[/\\]dist[/\\].*\.js$/ }, (args) => {
      const dir = dirname(args.path);
      const pkgRoot = args.path.slice(0, args.path.lastIndexOf(`${sep}dist${sep}`));
      const pkgJson = readFileSync(join(pkgRoot, 'package.json'), 'utf8');
      const pkgName = JSON.parse(pkgJson).name;
      const contents = readFileSync(args.path, 'utf8')
        .replace(PACKAGE_JSON_READ, () => JSON.stringify(pkgJson))
        .replace(PACKAGE_JSON_REQUIRE, () => `(${pkgJson})`)
        .replace(LAZY_REQUIRE, (_, name) => `require(${JSON.stringify(name)})`)
        .replace(ASSET_URL, (_, rel) => {
          const folder = resolve(dir, rel);
          const key = `${pkgName}/${relative(pkgRoot, folder)}`;
          return `globalThis.__leapAssetUrl(${JSON.stringify(key)}, ${JSON.stringify(embedFolder(folder))})`;
        });
      return { contents, loader: 'js' };
    });
  },
};

// CommonJS dependencies call require() for builtins; an ES module has none, so the bundle makes one. Assets are
// written under $XDG_CACHE_HOME/leap (or ~/.cache/leap), one folder per bundle version and asset, renamed into
// place so two leaps starting at once never see half a folder.
const banner = `import { createRequire as __leapCreateRequire } from 'node:module';
const require = __leapCreateRequire(import.meta.url);
globalThis.__leapAssetUrl = (key, files) => {
  const { mkdirSync, writeFileSync, renameSync, existsSync, rmSync, chmodSync } = require('node:fs');
  const { join, dirname } = require('node:path');
  const { homedir } = require('node:os');
  const { pathToFileURL } = require('node:url');
  const { createHash } = require('node:crypto');
  const hash = createHash('sha256').update(JSON.stringify(files)).digest('hex').slice(0, 16);
  const cache = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  const folder = join(cache, 'leap', ${JSON.stringify(cliVersion)} + '-' + hash, key);
  if (!existsSync(folder)) {
    const temp = folder + '.tmp-' + process.pid;
    rmSync(temp, { recursive: true, force: true });
    for (const [name, file] of Object.entries(files)) {
      const path = join(temp, name);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, Buffer.from(file.data, 'base64'));
      chmodSync(path, file.mode);
    }
    mkdirSync(dirname(folder), { recursive: true });
    try { renameSync(temp, folder); } catch (error) { rmSync(temp, { recursive: true, force: true }); if (!existsSync(folder)) throw error; }
  }
  return pathToFileURL(folder + '/');
};`;

const result = await build({
  entryPoints: [join(root, 'packages/cli/bin/leap.js')],
  outfile: out,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['@leap/lab'],
  banner: { js: banner },
  plugins: [embedAssets],
  metafile: true,
  logLevel: 'warning',
  legalComments: 'none',
});
const bytes = statSync(out).size;
const inputs = Object.keys(result.metafile.inputs).length;
console.log(`bundle: ${relative(root, out)} ${(bytes / 1024 / 1024).toFixed(1)} MiB from ${inputs} modules`);
