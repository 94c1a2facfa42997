import { freshLabCases } from './matrix/cases-fresh.js';
import { matrixSuite } from './matrix/suite.js';

matrixSuite('bad input on a lab before its leap: refused, explained, nothing changed', freshLabCases);
