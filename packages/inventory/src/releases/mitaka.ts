import { kiloRules } from './kilo.js';
import type { ReleaseTable } from './types.js';

/** Liberty -> Mitaka (leap-anchors.md §3.2, §3.6). Mitaka's rename table upstream is a placeholder only. */
export const mitaka: ReleaseTable = {
  name: 'mitaka',
  previous: 'liberty',
  inventory: { ...kiloRules, release: 'mitaka' },
  inTreeEnvd: false,
  envd: { copyIfMissing: ['ironic.yml'], mergeMissing: [], removeComponents: [] },
  renames: [],
  secrets: {
    file: 'user_secrets.yml',
    rename: [],
    add: [
      'ironic_galera_password',
      'ironic_rabbitmq_password',
      'ironic_service_password',
      'ironic_swift_temp_url_secret_key',
      'nova_api_container_mysql_password',
    ],
  },
  guards: [],
};
