CREATE DATABASE neutron CHARACTER SET utf8 COLLATE utf8_general_ci;
USE neutron;
CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY) ENGINE=InnoDB;
CREATE TABLE networks (
  tenant_id VARCHAR(255), id VARCHAR(36) NOT NULL PRIMARY KEY, name VARCHAR(255), status VARCHAR(16),
  admin_state_up TINYINT(1), shared TINYINT(1), mtu INT, vlan_transparent TINYINT(1)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
CREATE TABLE ml2_network_segments (
  id VARCHAR(36) NOT NULL PRIMARY KEY, network_id VARCHAR(36) NOT NULL, network_type VARCHAR(32) NOT NULL,
  physical_network VARCHAR(64), segmentation_id INT, is_dynamic TINYINT(1) NOT NULL DEFAULT 0, segment_index INT NOT NULL DEFAULT 0
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
CREATE TABLE subnets (
  tenant_id VARCHAR(255), id VARCHAR(36) NOT NULL PRIMARY KEY, name VARCHAR(255), network_id VARCHAR(36), ip_version INT NOT NULL,
  cidr VARCHAR(64) NOT NULL, gateway_ip VARCHAR(64), enable_dhcp TINYINT(1)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
CREATE TABLE ports (
  tenant_id VARCHAR(255), id VARCHAR(36) NOT NULL PRIMARY KEY, name VARCHAR(255), network_id VARCHAR(36) NOT NULL,
  mac_address VARCHAR(32) NOT NULL, admin_state_up TINYINT(1) NOT NULL, status VARCHAR(16) NOT NULL,
  device_id VARCHAR(255) NOT NULL, device_owner VARCHAR(255) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
CREATE TABLE routers (
  tenant_id VARCHAR(255), id VARCHAR(36) NOT NULL PRIMARY KEY, name VARCHAR(255), status VARCHAR(16), admin_state_up TINYINT(1)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
CREATE TABLE ml2_port_bindings (
  port_id VARCHAR(36) NOT NULL PRIMARY KEY, host VARCHAR(255) NOT NULL DEFAULT '', vnic_type VARCHAR(64) NOT NULL DEFAULT 'normal',
  profile VARCHAR(4095) NOT NULL DEFAULT '', vif_type VARCHAR(64) NOT NULL, vif_details VARCHAR(4095) NOT NULL DEFAULT '',
  driver VARCHAR(64), segment VARCHAR(36)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
CREATE TABLE routerl3agentbindings (
  router_id VARCHAR(36) NOT NULL, l3_agent_id VARCHAR(36) NOT NULL, PRIMARY KEY (router_id, l3_agent_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
CREATE TABLE agents (
  id VARCHAR(36) NOT NULL PRIMARY KEY, agent_type VARCHAR(255) NOT NULL, `binary` VARCHAR(255) NOT NULL, topic VARCHAR(255) NOT NULL,
  host VARCHAR(255) NOT NULL, admin_state_up TINYINT(1) NOT NULL DEFAULT 1, created_at DATETIME NOT NULL, started_at DATETIME NOT NULL,
  heartbeat_timestamp DATETIME NOT NULL, description VARCHAR(255), configurations VARCHAR(4095) NOT NULL,
  UNIQUE KEY uniq_agents0agent_type0host (agent_type, host)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

-- mtu = 0 on the vxlan and flat networks: the Mitaka step repairs them.
INSERT INTO networks VALUES
  ('8a1c0c6e2b6f4c0e9d3a5e7f1b2c3d40', '1a2b3c4d-0000-4000-8000-000000000001', 'private', 'ACTIVE', 1, 0, 0, NULL),
  ('default-admin', '1a2b3c4d-0000-4000-8000-000000000002', 'public', 'ACTIVE', 1, 1, 0, NULL),
  ('default-admin', '1a2b3c4d-0000-4000-8000-000000000003', 'vlan-101', 'ACTIVE', 1, 1, 1500, NULL);
INSERT INTO ml2_network_segments (id, network_id, network_type, physical_network, segmentation_id) VALUES
  ('2b3c4d5e-0000-4000-8000-000000000001', '1a2b3c4d-0000-4000-8000-000000000001', 'vxlan', NULL, 1001),
  ('2b3c4d5e-0000-4000-8000-000000000002', '1a2b3c4d-0000-4000-8000-000000000002', 'flat', 'flat', NULL),
  ('2b3c4d5e-0000-4000-8000-000000000003', '1a2b3c4d-0000-4000-8000-000000000003', 'vlan', 'vlan', 101);
INSERT INTO subnets VALUES
  ('8a1c0c6e2b6f4c0e9d3a5e7f1b2c3d40', '3c4d5e6f-0000-4000-8000-000000000001', 'private-subnet', '1a2b3c4d-0000-4000-8000-000000000001', 4, '192.168.10.0/24', '192.168.10.1', 1),
  ('default-admin', '3c4d5e6f-0000-4000-8000-000000000002', 'public-subnet', '1a2b3c4d-0000-4000-8000-000000000002', 4, '203.0.113.0/24', '203.0.113.1', 0);
INSERT INTO routers VALUES ('8a1c0c6e2b6f4c0e9d3a5e7f1b2c3d40', '4d5e6f7a-0000-4000-8000-000000000001', 'router1', 'ACTIVE', 1);
INSERT INTO ports SELECT '8a1c0c6e2b6f4c0e9d3a5e7f1b2c3d40', CONCAT('5e6f7a8b-0000-4000-8000-', LPAD(seq, 12, '0')), '',
  '1a2b3c4d-0000-4000-8000-000000000001', CONCAT('fa:16:3e:00:00:', LPAD(HEX(seq), 2, '0')), 1, 'ACTIVE',
  IF(seq = 1, 'dhcp', CONCAT('3e4f5a6b-0000-4000-8000-', LPAD(seq - 1, 12, '0'))), IF(seq = 1, 'network:dhcp', 'compute:nova')
  FROM seq_1_to_13;
