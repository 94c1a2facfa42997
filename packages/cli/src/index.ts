export { main } from './main.js';
export {
  CliError,
  ExitCode,
  isLeapError,
  type CliErrorOptions,
  type CliErrorCode,
  type LeapErrorLike,
} from './errors.js';
export { reportError, type Io } from './output.js';
