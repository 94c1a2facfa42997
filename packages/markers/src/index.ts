export { MarkersError, type MarkersErrorOptions } from './errors.js';
