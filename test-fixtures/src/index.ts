export { tempDir, makeTempDir } from './temp.js';
export { freePort } from './ports.js';
export { requireCommand, debianPackageOf, MissingSystemCommandError } from './system.js';
export {
  startMariaDb,
  type MariaDbServer,
  type MariaDbConnection,
  type StartMariaDbOptions,
} from './mariadb/server.js';
export { dbTest, type TestDatabase } from './mariadb/fixture.js';
export { gitSandbox, createRepo, commitFiles, createBareOrigin, addSubmodule, tag, type GitSandbox } from './git.js';
export { startGaleraCluster, type GaleraCluster, type GaleraNode, type StartGaleraOptions } from './galera/cluster.js';
export { killMidWrite, type KillMidWriteOptions } from './kill-mid-write.js';
export { errorCodesThrownIn, errorCodesOfUnion, errorCodesInReadme } from './error-codes.js';
export { errorTableTests } from './error-table.js';
export { repoRoot, leapBin, leap, startLeap, type LeapProcess, type LeapExit } from './leap-binary.js';
export { readLabJson, labSql, labRows, type LabJson } from './lab-json.js';
export { processesMentioning } from './processes.js';
export { scalars, effectiveVariables, secretsByKey } from './deploy-files.js';
export { reportedConfigKeys } from './journal-keys.js';
export { renderInChromium, type RenderedPage } from './chromium.js';
export { digestTree, compareDigests, describeChanges, type TreeDigest, type TreeChanges } from './tree-digest.js';
