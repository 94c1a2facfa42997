import { databaseCases } from './matrix/cases-database.js';
import { databaseUnreachable } from './matrix/edit.js';
import { stopAt } from './matrix/stage.js';
import { matrixSuite } from './matrix/suite.js';

matrixSuite(
  'bad input at the database steps: refused, explained, nothing changed',
  databaseCases,
  stopAt('db/health', databaseUnreachable),
);
