#!/usr/bin/env node
// A committed shim: npm links a workspace bin only if its target exists at install time, and a clean
// build would re-create dist/ without the executable bit. It also refuses an old Node before any
// syntax or API of a newer one can fail in a confusing way.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  process.stderr.write(
    `leap needs Node.js >= 20.19; this is ${process.versions.node}.\n` +
      'hint: install a newer Node.js (https://nodejs.org) and run leap again.\n',
  );
  process.exit(2);
}
// `leap status | head` closes the pipe early; that is not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});
// bundle/ is dist/ with @leap/markers joined in a few chunks (scripts/bundle-cli.mjs): it starts faster.
const { main } = await import('../bundle/main.js');
process.exitCode = await main(process.argv.slice(2));
