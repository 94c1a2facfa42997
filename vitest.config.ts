import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));
const libraries = ['markers', 'git-prep', 'inventory', 'db-migrate', 'osa-deploy', 'f5', 'cli'];
/** Projects whose tests need a throwaway MariaDB shared across the project. */
const withMariaDb = new Set(['db-migrate', 'cli']);
const mariadbSetup = `${root}test-fixtures/src/mariadb/global-setup.ts`;

export default defineConfig({
  resolve: {
    // Tests run against the sources, so a library's tests never need a build of another.
    alias: [{ find: /^@leap\/(markers|git-prep|inventory|db-migrate|osa-deploy|f5)$/, replacement: `${root}packages/$1/src/index.ts` }],
  },
  test: {
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
