export { GitPrepError, type GitPrepErrorOptions } from './errors.js';
