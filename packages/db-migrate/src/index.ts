export { DbMigrateError, type DbMigrateErrorOptions } from './errors.js';
