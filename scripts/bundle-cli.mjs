#!/usr/bin/env node
// Builds packages/cli/bundle/: what `leap` runs when installed from npm. The CLI's own modules and @leap/markers are
// joined into a few ES module chunks (split where a command loads lazily); every other package stays an import of the
// installed dependency. Why: Node's ES module loader spends about a millisecond per module before any code runs, and
// `leap status` loaded some 60 of them; joined, it answers in about 1.85x the time of `node -e 0` instead of 2.1x
// (bench/cli/status.bench.mjs). @leap/contract stays shared with the other @leap packages; third-party code stays out
// of the bundle, so no other licence ships inside @leap/cli. Run after `tsc -b` (npm run build does both).
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'packages/cli');
const outdir = join(cli, 'bundle');
/** Joined into the CLI's chunks: ours, and used at run time by nothing else the CLI loads. */
const inlined = new Set(['@leap/markers']);

const packageOf = (specifier) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');
const PACKAGE_JSON_REQUIRE = /createRequire\(import\.meta\.url\)\('\.\.\/package\.json'\)/g;

const plugin = {
  name: 'leap-cli-bundle',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('node:') || !inlined.has(packageOf(args.path))
        ? { path: args.path, external: true }
        : undefined,
    );
    // An inlined package reading its own package.json next to its code would read the CLI's: give it its own.
    b.onLoad({ filter: /[/\\]packages[/\\]markers[/\\]dist[/\\].*\.js$/ }, (args) => {
      const pkgJson = readFileSync(join(args.path.slice(0, args.path.lastIndexOf('/dist/')), 'package.json'), 'utf8');
      return {
        contents: readFileSync(args.path, 'utf8').replace(PACKAGE_JSON_REQUIRE, () => `(${pkgJson})`),
        loader: 'js',
      };
    });
  },
};

// Chunk names carry a hash: a stale chunk of an earlier build would otherwise stay and be published.
rmSync(outdir, { recursive: true, force: true });
const result = await build({
  entryPoints: [join(cli, 'dist/main.js')],
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  plugins: [plugin],
  metafile: true,
  logLevel: 'warning',
});
const outputs = Object.keys(result.metafile.outputs).length;
const inputs = Object.keys(result.metafile.inputs).length;
console.log(`bundle: ${relative(root, outdir)}/ ${outputs} chunks from ${inputs} modules`);
