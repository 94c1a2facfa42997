export { F5Error, type F5ErrorOptions } from './errors.js';
