import type { TestProject } from 'vitest/node';
import { startMariaDb, type MariaDbConnection } from './server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    mariadb: MariaDbConnection;
  }
}

/** vitest globalSetup: one throwaway server per test project, handed to the tests by `inject('mariadb')`. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startMariaDb();
  const { host, port, socketPath, user, password } = server;
  project.provide('mariadb', { host, port, socketPath, user, password });
  return () => server.stop();
}
