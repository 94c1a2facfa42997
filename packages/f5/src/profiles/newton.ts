import type { ReleaseProfile } from './types.js';

/**
 * rpc-openstack r14.1.0 `scripts/f5-config.py` plus the objects the leapfrog guide lists, which only
 * the Rackspace support scripts had (f5-config-newton.py, f5-upgrade-k2n.py): the galera read VS on
 * 3307, galera mirroring and connection reset, horizon SSL terminated on the F5 with its members on
 * 80, the HTTP→HTTPS redirect, and a separate external monitor for the Newton endpoint script so the
 * Kilo one keeps the API pools up until the switch-back.
 */
export const newton: ReleaseProfile = {
  release: 'newton',
  source: 'rcbops/rpc-openstack:scripts/f5-config.py@r14.1.0 + dpham-rs/rpc-openstack:scripts/f5-upgrade-k2n.py@84fb622',
  loadBalancingMode: 'least-connections-node',
  externalMonitor: '-MON-EXT-ENDPOINT-NEWTON',
  externalMonitorScript: 'https://raw.githubusercontent.com/rcbops/rpc-openstack/newton/scripts/f5-monitor.sh',
  snatIdleTimeout: 3600,
  monitors: [
    { name: 'MON_HTTP_KEYSTONE_ADMIN', type: 'http', port: 35357, path: '/v3', recv: '200 OK' },
    { name: 'MON_HTTP_NOVA_API_METADATA', type: 'http', port: 8775, path: '/', recv: '200 OK' },
    { name: 'MON_HTTP_HORIZON', type: 'http', port: 80, path: '/auth/login/', recv: '200 OK' },
    { name: 'MON_HTTP_NOVA_SPICE_CONSOLE', type: 'http', port: 6082, path: '/spice_auto.html', recv: '200 OK' },
    { name: 'MON_HTTP_NOVA_NOVNC_CONSOLE', type: 'http', port: 6080, path: '/vnc_auto.html', recv: '200 OK' },
    { name: 'MON_HTTPS_HORIZON_SSL', type: 'https', port: 443, path: '/auth/login/', recv: '200 OK' },
    { name: 'MON_TCP_HEAT_API_CFN', type: 'tcp', port: 8000 },
    { name: 'MON_TCP_HEAT_API_CLOUDWATCH', type: 'tcp', port: 8003 },
    { name: 'MON_TCP_KIBANA', type: 'tcp', port: 80 },
    { name: 'MON_TCP_KIBANA_SSL', type: 'tcp', port: 8443 },
    { name: 'MON_TCP_ELASTICSEARCH', type: 'tcp', port: 9200 },
    { name: 'MON_HTTP_REPO', type: 'http', port: 8181, path: '/', recv: '200 OK' },
    { name: 'MON_HTTP_REPO_CACHE', type: 'http', port: 3142, path: '/acng-report.html', recv: '200 OK' },
    { name: 'MON_TCP_REPO_GIT', type: 'tcp', port: 9418 },
    { name: 'MON_HTTP_MAGNUM', type: 'http', port: 9511, path: '/v1', recv: '200 OK' },
  ],
  services: [
    { key: 'galera', vipPort: 3306, memberPort: 3306, group: 'galera', monitor: 'MON_GALERA', priority: true, mirror: true, serviceDownReset: true },
    { key: 'galera_read', vipPort: 3307, memberPort: 3306, group: 'galera', monitor: 'MON_GALERA', mirror: true },
    { key: 'glance_api', vipPort: 9292, memberPort: 9292, group: 'glance_api', monitor: 'EXT', public: 'ssl', forwardedProto: true },
    { key: 'glance_registry', vipPort: 9191, memberPort: 9191, group: 'glance_registry', monitor: 'EXT' },
    { key: 'heat_api_cfn', vipPort: 8000, memberPort: 8000, group: 'heat_api_cfn', monitor: 'MON_TCP_HEAT_API_CFN', public: 'ssl', forwardedProto: true },
    { key: 'heat_api_cloudwatch', vipPort: 8003, memberPort: 8003, group: 'heat_api_cloudwatch', monitor: 'MON_TCP_HEAT_API_CLOUDWATCH', public: 'ssl', forwardedProto: true },
    { key: 'heat_api', vipPort: 8004, memberPort: 8004, group: 'heat_api', monitor: 'EXT', public: 'ssl', forwardedProto: true },
    { key: 'keystone_admin', vipPort: 35357, memberPort: 35357, group: 'keystone', monitor: 'MON_HTTP_KEYSTONE_ADMIN' },
    { key: 'keystone_service', vipPort: 5000, memberPort: 5000, group: 'keystone', monitor: 'EXT', public: 'ssl', forwardedProto: true },
    { key: 'neutron_server', vipPort: 9696, memberPort: 9696, group: 'neutron_server', monitor: 'EXT', public: 'ssl', forwardedProto: true },
    { key: 'nova_api_metadata', vipPort: 8775, memberPort: 8775, group: 'nova_api_metadata', monitor: 'MON_HTTP_NOVA_API_METADATA' },
    { key: 'nova_api_os_compute', vipPort: 8774, memberPort: 8774, group: 'nova_api_os_compute', monitor: 'EXT', public: 'ssl', forwardedProto: true },
    { key: 'nova_spice_console', vipPort: 6082, memberPort: 6082, group: 'nova_console', monitor: 'MON_HTTP_NOVA_SPICE_CONSOLE', public: 'ssl', persist: true },
    { key: 'nova_novnc_console', vipPort: 6080, memberPort: 6080, group: 'nova_console', monitor: 'MON_HTTP_NOVA_NOVNC_CONSOLE', public: 'ssl', persist: true },
    { key: 'cinder_api', vipPort: 8776, memberPort: 8776, group: 'cinder_api', monitor: 'EXT', public: 'ssl', forwardedProto: true },
    { key: 'horizon', vipPort: 80, memberPort: 80, group: 'horizon', monitor: 'MON_HTTP_HORIZON' },
    { key: 'horizon_ssl', vipPort: 443, memberPort: 80, group: 'horizon', monitor: 'MON_HTTP_HORIZON', public: 'ssl', persist: true, forwardedProto: true, sslInternal: true, httpsRedirect: true },
    { key: 'elasticsearch', vipPort: 9200, memberPort: 9200, group: 'elasticsearch', monitor: 'MON_TCP_ELASTICSEARCH' },
    { key: 'kibana', vipPort: 8888, memberPort: 80, group: 'kibana', monitor: 'MON_TCP_KIBANA', priority: true },
    { key: 'kibana_ssl', vipPort: 8443, memberPort: 8443, group: 'kibana', monitor: 'MON_TCP_KIBANA_SSL', priority: true, public: 'ssl', persist: true, backendSsl: true },
    { key: 'swift', vipPort: 8080, memberPort: 8080, group: 'swift_proxy', monitor: 'EXT', public: 'ssl', forwardedProto: true },
    { key: 'repo', vipPort: 8181, memberPort: 8181, group: 'pkg_repo', monitor: 'MON_HTTP_REPO' },
    { key: 'repo_cache', vipPort: 3142, memberPort: 3142, group: 'repo_all', monitor: 'MON_HTTP_REPO_CACHE', priority: true },
    { key: 'repo_git', vipPort: 9418, memberPort: 9418, group: 'pkg_repo', monitor: 'MON_TCP_REPO_GIT' },
    { key: 'magnum', vipPort: 9511, memberPort: 9511, group: 'magnum_all', monitor: 'MON_HTTP_MAGNUM', public: 'ssl', forwardedProto: true },
  ],
};
