import { playbookCases } from './matrix/cases-playbooks.js';
import { concurrencyTests } from './matrix/concurrency.js';
import { ansibleCommand } from './matrix/edit.js';
import { stopAt } from './matrix/stage.js';
import { matrixSuite } from './matrix/suite.js';

matrixSuite(
  'bad input at the first playbook: refused, explained, nothing changed',
  playbookCases,
  stopAt('liberty/hostnames', (lab) => ansibleCommand(lab, ['/nonexistent/openstack-ansible'])),
  concurrencyTests,
);
