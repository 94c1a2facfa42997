export { InventoryError, type InventoryErrorOptions } from './errors.js';
