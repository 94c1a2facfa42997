/** What a step does, for spreading interruptions over every kind of work the leap does. */
export type StepKind =
  | 'preflight'
  | 'git'
  | 'config'
  | 'inventory'
  | 'health'
  | 'housekeeping'
  | 'backup'
  | 'migration'
  | 'confirm'
  | 'playbook'
  | 'api'
  | 'report';

export function kindOf(stepId: string): StepKind {
  if (stepId === 'preflight/checks') return 'preflight';
  if (stepId === 'git/checkout') return 'git';
  if (stepId === 'git/bootstrap-ansible' || stepId === 'venvs/prepare') return 'playbook';
  if (stepId === 'db/health' || stepId === 'post/galera-health') return 'health';
  if (stepId === 'db/housekeeping') return 'housekeeping';
  if (stepId === 'db/backup') return 'backup';
  if (/\/migrate$/.test(stepId)) return 'migration';
  if (stepId === 'redeploy/confirm') return 'confirm';
  if (stepId === 'post/report') return 'report';
  if (/\/inventory$/.test(stepId) || stepId === 'redeploy/neutron-keep') return 'inventory';
  // Through the OpenStack clients on the utility container: the router map, the cleanup after the re-deploy, verify.
  if (stepId === 'services/router-map' || stepId.startsWith('newton/cleanup/') || stepId === 'post/verify')
    return 'api';
  if (stepId === 'newton/rpc/rpcm-variables') return 'config';
  if (stepId === 'newton/hosts-alias' || stepId === 'services/power-down' || /^newton\/(redeploy|rpc)\//.test(stepId))
    return 'playbook';
  return 'config';
}
