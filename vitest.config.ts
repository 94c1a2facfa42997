import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));
const libraries = ['contract', 'markers', 'git-prep', 'inventory', 'db-migrate', 'osa-deploy', 'f5', 'lab', 'cli'];
/** Projects whose tests need a throwaway MariaDB shared across the project. */
const withMariaDb = new Set(['db-migrate', 'cli']);
const mariadbSetup = `${root}test-fixtures/src/mariadb/global-setup.ts`;

export default defineConfig({
  resolve: {
    // Tests run against the sources, so a library's tests never need a build of another.
    alias: [
      {
        find: /^@leap\/(contract|markers|git-prep|inventory|db-migrate|osa-deploy|f5|lab)$/,
        replacement: `${root}packages/$1/src/index.ts`,
      },
      {
        find: /^@leap\/(contract|markers|git-prep|inventory|db-migrate|osa-deploy|f5|lab)\/([a-z-]+)$/,
        replacement: `${root}packages/$1/src/$2.ts`,
      },
    ],
  },
  test: {
    // Most suites wait on real subprocesses (mariadbd, git, ansible-playbook); vitest's default of one worker per
    // core less one leaves a 2-core CI machine running one file at a time.
    maxWorkers: 3,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      ...libraries.map((name) => ({
        extends: true as const,
        test: {
          name: `@leap/${name}`,
          root: `${root}packages/${name}`,
          include: ['test/**/*.test.ts'],
          globalSetup: withMariaDb.has(name) ? [mariadbSetup] : [],
        },
      })),
      {
        // Whole leaps on labs through the built binary: minutes each, so they get their own timeouts.
        extends: true as const,
        test: {
          name: 'e2e',
          root: `${root}test/e2e`,
          include: ['**/*.test.ts'],
          testTimeout: 30 * 60_000,
          hookTimeout: 10 * 60_000,
        },
      },
      {
        // Crash and resume, Ctrl-C, the bad-input matrix, secret scans and concurrency on labs, through the built binary.
        extends: true as const,
        test: {
          name: 'reliability',
          root: `${root}test/reliability`,
          include: ['**/*.test.ts'],
          testTimeout: 30 * 60_000,
          hookTimeout: 10 * 60_000,
        },
      },
      {
        extends: true as const,
        test: {
          name: '@leap/test-fixtures',
          root: `${root}test-fixtures`,
          include: ['test/**/*.test.ts'],
          globalSetup: [mariadbSetup],
        },
      },
    ],
  },
});
