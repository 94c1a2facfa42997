import { writeProperties } from './codec.js';
import type { F5Object } from './model.js';

/** The tmsh module path of an object's kind: `ltm pool`, `ltm monitor http`, `sys crypto key`. */
export function tmshPath(object: F5Object): string {
  switch (object.kind) {
    case 'partition':
      return 'auth partition';
    case 'snatpool':
      return 'ltm snatpool';
    case 'snat-translation':
      return 'ltm snat-translation';
    case 'external-monitor-file':
      return 'sys file external-monitor';
    case 'monitor':
      return `ltm monitor ${object.type}`;
    case 'rule':
      return 'ltm rule';
    case 'ssl-key':
      return 'sys crypto key';
    case 'ssl-cert':
      return 'sys crypto cert';
    case 'profile':
      return `ltm profile ${object.type}`;
    case 'persistence':
      return `ltm persistence ${object.type}`;
    case 'node':
      return 'ltm node';
    case 'pool':
      return 'ltm pool';
    case 'virtual':
      return 'ltm virtual';
  }
}

export function createCommand(object: F5Object): string {
  const head = `${tmshPath(object)} ${object.name}`;
  switch (object.kind) {
    case 'partition':
      return `create ${head}`;
    case 'snat-translation':
      // The device creates a translation with its SNAT pool; leap only sets its properties.
      return `modify ${head} { ${writeProperties(object)} }`;
    case 'rule':
      return `create ${head} ${object.definition}`;
    case 'ssl-key':
    case 'ssl-cert': {
      const properties = writeProperties(object);
      return properties === '' ? `create ${head}` : `create ${head} ${properties}`;
    }
    default: {
      const properties = writeProperties(object);
      return properties === '' ? `create ${head} { }` : `create ${head} { ${properties} }`;
    }
  }
}

export function modifyCommand(object: F5Object, fields: readonly string[]): string {
  const head = `modify ${tmshPath(object)} ${object.name}`;
  if (object.kind === 'rule') return `${head} ${object.definition}`;
  return `${head} { ${writeProperties(object, fields)} }`;
}

export function deleteCommand(object: F5Object): string {
  return `delete ${tmshPath(object)} ${object.name}`;
}

/** Operator notes that go in front of an object's creation: what tmsh cannot do by itself. */
export function notesFor(object: F5Object, externalMonitorScript?: string): string[] {
  if (object.kind === 'external-monitor-file') {
    const file = object.sourcePath?.replace(/^file:\/\//, '') ?? '/config/monitors/<name>.monitor';
    return [
      `# Before the next command, put the external monitor script on the F5 (from bash: run util bash):`,
      `#   curl -k -o ${file} ${externalMonitorScript ?? '<f5-monitor.sh of the release>'}`,
      `#   then set auth_ip, pass and tenant_id in ${file}, and exit back to tmsh.`,
    ];
  }
  if (object.kind === 'ssl-key') {
    return [
      `# A self-signed key and certificate; for production install the CA-signed pair instead (install sys crypto key|cert … from-local-file).`,
    ];
  }
  if (object.kind === 'monitor' && object.type === 'mysql' && object.username !== undefined) {
    return [
      `# Set the password of the galera monitor user "${object.username}" afterwards: modify ltm monitor mysql ${object.name} { password … }`,
    ];
  }
  return [];
}
