import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { labAsset } from './assets.js';
import { LAB_RELEASES, type LabRelease } from './releases.js';
import { KILO_OSA_SECRETS, KILO_RPC_SECRETS, secretsFile } from './secrets.js';
import type { Seeded } from './seed.js';
import type { LabHost, LabTopology } from './topology.js';

const LICENSE = [
  '# Copyright 2014, Rackspace US, Inc.',
  '#',
  '# Licensed under the Apache License, Version 2.0 (the "License");',
  '# you may not use this file except in compliance with the License.',
].join('\n');

/** Writes an /etc/openstack_deploy shaped like a real RPCO Kilo one (no inventory: that comes from @leap/inventory). */
export function writeDeployDir(
  deployDir: string,
  topology: LabTopology,
  seeded: Seeded,
  source: LabRelease,
  galeraNodes = 1,
): void {
  mkdirSync(join(deployDir, 'conf.d'), { recursive: true });
  cpSync(labAsset('env.d/kilo'), join(deployDir, 'env.d'), {
    recursive: true,
    filter: (src) => !src.endsWith('.skeleton'),
  });
  // The Kilo generator needs openstack_environment.yml next to env.d (an empty skeleton is enough with env.d).
  cpSync(labAsset('env.d/kilo/openstack_environment.yml.skeleton'), join(deployDir, 'openstack_environment.yml'));
  writeFileSync(join(deployDir, 'openstack_user_config.yml'), userConfig(topology, seeded, galeraNodes));
  writeFileSync(join(deployDir, 'conf.d', 'logging.yml'), confdLogging(topology));
  writeFileSync(join(deployDir, 'user_variables.yml'), userVariables(topology, source));
  writeFileSync(join(deployDir, 'user_extras_variables.yml'), userExtrasVariables(source));
  writeFileSync(
    join(deployDir, 'user_secrets.yml'),
    secretsFile(seeded, KILO_OSA_SECRETS, [
      'OpenStack-Ansible secrets (generated with scripts/pw-token-gen.py --file user_secrets.yml).',
      '',
      'Keep this file secret: it holds every service password of the cloud.',
    ]),
  );
  writeFileSync(
    join(deployDir, 'user_extras_secrets.yml'),
    secretsFile(seeded, KILO_RPC_SECRETS, ['rpc-openstack extras secrets (MaaS, logging, support).']),
  );
}

function hostBlock(group: string, hosts: LabHost[], extra = ''): string {
  if (hosts.length === 0) return '';
  return `${group}:\n${hosts.map((h) => `  ${h.name}:\n    ip: ${h.ip}\n${extra}`).join('')}\n`;
}

function userConfig(t: LabTopology, seeded: Seeded, galeraNodes: number): string {
  return userConfigHead(t, seeded) + globalOverrides(t) + hostGroups(t, galeraNodes);
}

/** openstack_user_config.yml's comment header, CIDRs and used IPs. */
function userConfigHead(t: LabTopology, seeded: Seeded): string {
  return `---
# Rackspace Private Cloud powered by OpenStack (Kilo) -- openstack_user_config.yml
# Lab deployment built by \`leap lab create\` (seed ${JSON.stringify(seeded.seed)}); it differs from a production
# cloud only by the leap.yaml that points at it.

cidr_networks:
  container: ${t.cidr.container}
  tunnel: ${t.cidr.tunnel}
  storage: ${t.cidr.storage}

# Addresses the inventory must never hand out (gateways, load balancers, hosts).
used_ips:
  - "172.${t.octet}.236.1,172.${t.octet}.236.50"
  - "172.${t.octet}.236.100"
  - "172.${t.octet}.240.1,172.${t.octet}.240.50"
  - "172.${t.octet}.244.1,172.${t.octet}.244.50"

`;
}

/** openstack_user_config.yml's global_overrides: the VIPs and RPCO Kilo's provider networks. */
function globalOverrides(t: LabTopology): string {
  return `global_overrides:
  internal_lb_vip_address: ${t.internalVip}
  external_lb_vip_address: ${t.externalVip}
  tunnel_bridge: "br-vxlan"
  management_bridge: "br-mgmt"
  provider_networks:
    - network:
        container_bridge: "br-mgmt"
        container_type: "veth"
        container_interface: "eth1"
        ip_from_q: "container"
        type: "raw"
        group_binds:
          - all_containers
          - hosts
        is_container_address: true
        is_ssh_address: true
    - network:
        container_bridge: "br-vxlan"
        container_type: "veth"
        container_interface: "eth10"
        ip_from_q: "tunnel"
        type: "vxlan"
        range: "1:1000"
        net_name: "vxlan"
        group_binds:
          - neutron_linuxbridge_agent
    - network:
        container_bridge: "br-vlan"
        container_type: "veth"
        container_interface: "eth12"
        host_bind_override: "eth12"
        type: "flat"
        net_name: "flat"
        group_binds:
          - neutron_linuxbridge_agent
    - network:
        container_bridge: "br-vlan"
        container_type: "veth"
        container_interface: "eth11"
        type: "vlan"
        range: "101:200"
        net_name: "vlan"
        group_binds:
          - neutron_linuxbridge_agent
    - network:
        container_bridge: "br-storage"
        container_type: "veth"
        container_interface: "eth2"
        ip_from_q: "storage"
        type: "raw"
        group_binds:
          - glance_api
          - cinder_api
          - cinder_volume
          - nova_compute

`;
}

/** openstack_user_config.yml's host groups: every service on the infra hosts, compute and LVM storage hosts. */
function hostGroups(t: LabTopology, galeraNodes: number): string {
  const infra = t.hosts.filter((h) => h.roles.includes('infra'));
  const compute = t.hosts.filter((h) => h.roles.includes('compute'));
  const storage = t.hosts.filter((h) => h.roles.includes('storage'));
  const lvm = [
    '    container_vars:',
    '      cinder_backends:',
    '        limit_container_types: cinder_volume',
    '        lvm:',
    '          volume_group: cinder-volumes',
    '          volume_driver: cinder.volume.drivers.lvm.LVMVolumeDriver',
    '          volume_backend_name: LVM_iSCSI',
    '          iscsi_ip_address: "{{ storage_address }}"',
    '',
  ].join('\n');
  return `# Galera, RabbitMQ, memcached
${sharedInfraBlock(infra, galeraNodes)}# Keystone
${hostBlock('identity_hosts', infra)}# Glance, Nova API, Heat, Horizon
${hostBlock('os-infra_hosts', infra)}# Cinder API and scheduler
${hostBlock('storage-infra_hosts', infra)}# Python wheel and package repositories
${hostBlock('repo-infra_hosts', infra)}# Neutron agents (L3, DHCP, metadata, linuxbridge)
${hostBlock('network_hosts', infra)}# Nova compute
${hostBlock('compute_hosts', compute)}# Cinder volume (lvm on metal)
${hostBlock('storage_hosts', storage, lvm)}`;
}

/**
 * shared-infra_hosts; with fewer infra hosts than galera nodes wanted, the first holds the extra galera containers
 * (OSA's affinity), as small production clouds run a three-node cluster on one or two hosts.
 */
function sharedInfraBlock(infra: LabHost[], galeraNodes: number): string {
  const [first, ...rest] = infra;
  if (first === undefined || infra.length >= galeraNodes) return hostBlock('shared-infra_hosts', infra);
  const affinity = `    affinity:\n      galera_container: ${galeraNodes - rest.length}\n`;
  const block = hostBlock('shared-infra_hosts', [first], affinity);
  return rest.length === 0 ? block : block.replace(/\n$/, '') + hostBlock('x', rest).replace(/^x:\n/, '');
}

function confdLogging(t: LabTopology): string {
  const first = t.hosts.find((h) => h.roles.includes('infra')) ?? t.hosts[0]!;
  return `---
# rsyslog, elasticsearch, logstash and kibana containers.
log_hosts:
  ${first.name}:
    ip: ${first.ip}
`;
}

function userVariables(t: LabTopology, source: LabRelease): string {
  return `---
${LICENSE}

# Overrides of the OpenStack-Ansible defaults for this cloud (rpc-openstack ${LAB_RELEASES[source].rpcTag}).
# Operators: add a comment with the ticket number next to every change.

## Ansible 1.9 (Kilo) connects with ansible_ssh_host; later playbooks read ansible_host.
ansible_host: "{{ ansible_ssh_host }}"

## Debug and verbose logging of the OpenStack services
debug: false
verbose: false

## Horizon: Rackspace branding, served from the rpc-openstack checkout (Kilo-only)
rackspace_static_files_folder: "/opt/rpc-openstack/rpcd/playbooks/roles/horizon_extensions/files"
horizon_custom_uploads:
  logo:
    src: "{{ rackspace_static_files_folder }}/rackspace-logo.png"
    dest: "img/logo.png"
  logo_splash:
    src: "{{ rackspace_static_files_folder }}/rackspace-logo-splash.png"
    dest: "img/logo-splash.png"

## Nova API v2.1 endpoint (CHG0042: served on its own port behind the load balancer)
nova_v21_service_port: 8774
nova_v21_service_proto: http
nova_v21_service_publicuri_proto: https
nova_v21_service_description: "Nova Compute Service V2.1"

## Galera
galera_sst_method: rsync  # xtrabackup-v2 needs more disk than the infra hosts have
galera_innodb_buffer_pool_size: 4096M

## Glance: images in Cloud Files
glance_default_store: swift
glance_swift_store_auth_address: "http://${t.internalVip}:5000/v2.0"

## Neutron
neutron_l2_population: true
neutron_vxlan_enabled: true
`;
}

function userExtrasVariables(source: LabRelease): string {
  return `---
# rpc-openstack extras: Rackspace Monitoring as a Service, logging, support tooling.

rpc_release: "${LAB_RELEASES[source].rpcTag}"

## MaaS
maas_notification_plan: npTechnicalContactsEmail
maas_target_alias: public0_v4
maas_scheme: https
maas_keystone_user: maas
maas_filesystem_monitors:
  - filesystem: /
    warning_threshold: 80
    critical_threshold: 90

## Logging (ELK)
elasticsearch_heap_size_mb: 1024
logstash_heap_size_mb: 1024
kibana_ssl_cert_path: /etc/ssl/certs/kibana.pem

## Rackspace cloud account used by MaaS
rackspace_cloud_auth_url: https://identity.api.rackspacecloud.com/v2.0
rackspace_cloud_tenant_id: "SomeTenantID"
rackspace_cloud_username: "SomeUserName"
`;
}
