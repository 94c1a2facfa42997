export { OsaDeployError, type OsaDeployErrorOptions } from './errors.js';
