import type { LeapConfig } from '../config.js';
import type { CheckResult } from './types.js';

/**
 * newton/redeploy/pip-unify has its get-pip.py: named in leap.yaml, on this host, with the sha256 given. The
 * target's pins and the wheels are checked by redeploy/pip-unify-files, once the checkout is at the target tag.
 */
export async function checkPipUnify(config: LeapConfig): Promise<CheckResult> {
  const base = { id: 'pip-unify', title: "pip-unify: get-pip.py for the hosts' pip, setuptools and wheel" };
  const { checkGetPip, newton } = await import('@leap/osa-deploy');
  const configFile = config.configFile ?? 'leap.yaml';
  if (config.pipUnify === undefined) {
    return {
      ...base,
      status: 'failed',
      file: configFile,
      message: `${configFile} sets no pipUnify: the re-deploy pins pip, setuptools and wheel on every host with get-pip.py`,
      hint: `download ${newton.getPipUrl} to the deploy host once and set pipUnify.getPip.file and pipUnify.getPip.sha256 in ${configFile}`,
    };
  }
  const sha256 = await checkGetPip(config.pipUnify.getPip);
  const wheels =
    config.pipUnify.wheels === undefined ? 'the index the hosts use' : `wheels from ${config.pipUnify.wheels}`;
  return { ...base, status: 'ok', message: `${config.pipUnify.getPip.file} sha256 ${sha256.slice(0, 12)}…; ${wheels}` };
}
