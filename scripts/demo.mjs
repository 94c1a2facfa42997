#!/usr/bin/env node
// npm run demo: the newcomer's first run. Until the lab lands it says what it will do.
console.log(`leap demo
  This will: create a Kilo lab in a temp folder (git repos, /etc/openstack_deploy, a throwaway MariaDB,
  stand-in playbooks), run the whole leap to r14.1.0 non-interactively, print the report and destroy the lab.
  The lab is not built yet; meanwhile try: node packages/cli/bin/leap.js --help`);
