CREATE DATABASE nova CHARACTER SET utf8 COLLATE utf8_general_ci;
USE nova;
CREATE TABLE migrate_version (repository_id VARCHAR(250) NOT NULL PRIMARY KEY, repository_path TEXT, version INT) ENGINE=InnoDB;
CREATE TABLE instance_types (
  id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, created_at DATETIME, updated_at DATETIME, deleted_at DATETIME, deleted INT,
  name VARCHAR(255), memory_mb INT NOT NULL, vcpus INT NOT NULL, root_gb INT, ephemeral_gb INT, flavorid VARCHAR(255),
  swap INT NOT NULL, rxtx_factor FLOAT, vcpu_weight INT, disabled TINYINT(1), is_public TINYINT(1),
  UNIQUE KEY uniq_instance_types0flavorid0deleted (flavorid, deleted)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
CREATE TABLE instances (
  id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, created_at DATETIME, updated_at DATETIME, deleted_at DATETIME, deleted INT,
  uuid VARCHAR(36), user_id VARCHAR(255), project_id VARCHAR(255), instance_type_id INT, hostname VARCHAR(255),
  host VARCHAR(255), node VARCHAR(255), vm_state VARCHAR(255), task_state VARCHAR(255), power_state INT,
  display_name VARCHAR(255), memory_mb INT, vcpus INT, root_gb INT, launched_at DATETIME, terminated_at DATETIME,
  UNIQUE KEY uniq_instances0uuid (uuid), KEY instances_host_deleted_idx (host, deleted)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
CREATE TABLE instance_faults (
  id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, created_at DATETIME, updated_at DATETIME, deleted_at DATETIME, deleted INT,
  instance_uuid VARCHAR(36), code INT NOT NULL, message VARCHAR(255), details MEDIUMTEXT, host VARCHAR(255),
  KEY instance_faults_instance_uuid_deleted_created_at_idx (instance_uuid, deleted, created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
CREATE TABLE instance_actions (
  id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, created_at DATETIME, updated_at DATETIME, deleted_at DATETIME, deleted INT,
  action VARCHAR(255), instance_uuid VARCHAR(36), request_id VARCHAR(255), user_id VARCHAR(255), project_id VARCHAR(255),
  start_time DATETIME, finish_time DATETIME, message VARCHAR(255),
  KEY instance_uuid_idx (instance_uuid)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
CREATE TABLE instance_actions_events (
  id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, created_at DATETIME, updated_at DATETIME, deleted_at DATETIME, deleted INT,
  event VARCHAR(255), action_id INT, start_time DATETIME, finish_time DATETIME, result VARCHAR(255), traceback TEXT,
  host VARCHAR(255), details TEXT
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
CREATE TABLE instance_info_caches (
  id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, created_at DATETIME, updated_at DATETIME, deleted_at DATETIME, deleted INT,
  network_info MEDIUMTEXT, instance_uuid VARCHAR(36) NOT NULL, UNIQUE KEY uniq_instance_info_caches0instance_uuid (instance_uuid)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
CREATE TABLE instance_system_metadata (
  id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, created_at DATETIME, updated_at DATETIME, deleted_at DATETIME, deleted INT,
  instance_uuid VARCHAR(36) NOT NULL, `key` VARCHAR(255) NOT NULL, value VARCHAR(255),
  KEY instance_uuid (instance_uuid)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
CREATE TABLE block_device_mapping (
  id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, created_at DATETIME, updated_at DATETIME, deleted_at DATETIME, deleted INT,
  device_name VARCHAR(255), delete_on_termination TINYINT(1), volume_id VARCHAR(36), instance_uuid VARCHAR(36),
  source_type VARCHAR(255), destination_type VARCHAR(255), boot_index INT, image_id VARCHAR(36)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
CREATE TABLE instance_extra (
  id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, created_at DATETIME, updated_at DATETIME, deleted_at DATETIME, deleted INT,
  instance_uuid VARCHAR(36) NOT NULL, numa_topology TEXT, pci_requests TEXT, flavor TEXT, vcpu_model TEXT,
  KEY instance_extra_idx (instance_uuid)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
CREATE TABLE reservations (
  id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, created_at DATETIME, updated_at DATETIME, deleted_at DATETIME, deleted INT,
  uuid VARCHAR(36) NOT NULL, usage_id INT NOT NULL, project_id VARCHAR(255), resource VARCHAR(255), delta INT NOT NULL,
  expire DATETIME, user_id VARCHAR(255)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
CREATE TABLE services (
  id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, created_at DATETIME, updated_at DATETIME, deleted_at DATETIME, deleted INT,
  host VARCHAR(255), `binary` VARCHAR(255), topic VARCHAR(255), report_count INT NOT NULL, disabled TINYINT(1),
  disabled_reason VARCHAR(255), last_seen_up DATETIME, forced_down TINYINT(1),
  UNIQUE KEY uniq_services0host0topic0deleted (host, topic, deleted)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
CREATE TABLE compute_nodes (
  id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, created_at DATETIME, updated_at DATETIME, deleted_at DATETIME, deleted INT,
  service_id INT, vcpus INT NOT NULL, memory_mb INT NOT NULL, local_gb INT NOT NULL, vcpus_used INT NOT NULL,
  memory_mb_used INT NOT NULL, local_gb_used INT NOT NULL, hypervisor_type MEDIUMTEXT NOT NULL, hypervisor_version INT NOT NULL,
  hypervisor_hostname VARCHAR(255), host VARCHAR(255)
) ENGINE=InnoDB DEFAULT CHARSET=utf8 COLLATE=utf8_unicode_ci;

INSERT INTO instance_types (created_at, deleted, name, memory_mb, vcpus, root_gb, ephemeral_gb, flavorid, swap, rxtx_factor, disabled, is_public) VALUES
  ('2015-06-01 00:00:00', 0, 'm1.tiny', 512, 1, 1, 0, '1', 0, 1, 0, 1),
  ('2015-06-01 00:00:00', 0, 'm1.small', 2048, 1, 20, 0, '2', 0, 1, 0, 1),
  ('2015-06-01 00:00:00', 0, 'm1.medium', 4096, 2, 40, 0, '3', 0, 1, 0, 1),
  ('2015-06-01 00:00:00', 0, 'm1.large', 8192, 4, 80, 0, '4', 0, 1, 0, 1);
-- Instances 1-12 are live; 13-48 were deleted in 2015-2016 (nova soft-deletes: deleted = id).
INSERT INTO instances (created_at, updated_at, deleted_at, deleted, uuid, user_id, project_id, instance_type_id, hostname, host, node,
  vm_state, power_state, display_name, memory_mb, vcpus, root_gb, launched_at, terminated_at)
  SELECT '2015-07-01 00:00:00' + INTERVAL seq DAY, '2015-07-01 00:00:00' + INTERVAL seq DAY,
  IF(seq <= 12, NULL, '2015-09-01 00:00:00' + INTERVAL (seq * 9) DAY), IF(seq <= 12, 0, seq),
  CONCAT('3e4f5a6b-0000-4000-8000-', LPAD(seq, 12, '0')), '2d3e4f5a6b7c4d8e9f0a1b2c3d4e5f60',
  '8a1c0c6e2b6f4c0e9d3a5e7f1b2c3d40', 1 + seq MOD 4, CONCAT('vm-', seq), 'compute1', 'compute1',
  IF(seq <= 12, 'active', 'deleted'), IF(seq <= 12, 1, 0), CONCAT('vm-', seq), 2048, 1, 20,
  '2015-07-01 00:05:00' + INTERVAL seq DAY, IF(seq <= 12, NULL, '2015-09-01 00:00:00' + INTERVAL (seq * 9) DAY)
  FROM seq_1_to_48;
INSERT INTO instance_faults (created_at, deleted_at, deleted, instance_uuid, code, message, details, host)
  SELECT '2015-08-01 00:00:00' + INTERVAL seq DAY, i.deleted_at, IF(i.deleted = 0, 0, seq), i.uuid, 500,
  'No valid host was found.', '', 'compute1' FROM seq_1_to_48 JOIN instances i ON i.id = seq;
-- Faults whose instance uuid was lost (nova-manage db null_instance_uuid_scan --delete removes them).
INSERT INTO instance_faults (created_at, deleted, instance_uuid, code, message, details, host)
  SELECT '2015-08-15 00:00:00' + INTERVAL seq DAY, 0, NULL, 500, 'orphan fault', '', 'compute1' FROM seq_1_to_3;
INSERT INTO instance_actions (created_at, deleted_at, deleted, action, instance_uuid, request_id, user_id, project_id, start_time, finish_time)
  SELECT i.created_at, i.deleted_at, IF(i.deleted = 0, 0, i.id * 2 + a.seq), IF(a.seq = 1, 'create', 'delete'), i.uuid,
  CONCAT('req-', MD5(CONCAT(i.uuid, a.seq))), i.user_id, i.project_id, i.created_at, i.created_at + INTERVAL 1 MINUTE
  FROM instances i JOIN seq_1_to_2 a ON a.seq = 1 OR i.deleted <> 0;
INSERT INTO instance_actions_events (created_at, deleted_at, deleted, event, action_id, start_time, finish_time, result, host)
  SELECT a.created_at, a.deleted_at, IF(a.deleted = 0, 0, a.id), CONCAT('compute_', a.action, '_instance'), a.id, a.start_time,
  a.finish_time, 'Success', 'compute1' FROM instance_actions a;
INSERT INTO instance_info_caches (created_at, deleted_at, deleted, network_info, instance_uuid)
  SELECT created_at, deleted_at, deleted, '[]', uuid FROM instances;
INSERT INTO instance_system_metadata (created_at, deleted_at, deleted, instance_uuid, `key`, value)
  SELECT i.created_at, i.deleted_at, i.deleted, i.uuid, CONCAT('instance_type_', k.k), k.v
  FROM instances i JOIN (SELECT 'name' AS k, 'm1.small' AS v UNION ALL SELECT 'memory_mb', '2048' UNION ALL SELECT 'vcpus', '1') k;
INSERT INTO block_device_mapping (created_at, deleted_at, deleted, device_name, delete_on_termination, instance_uuid, source_type,
  destination_type, boot_index, image_id)
  SELECT created_at, deleted_at, deleted, '/dev/vda', 1, uuid, 'image', 'local', 0, '6f0c1f5e-0000-4000-8000-000000000001' FROM instances;
-- Instances 9-12 (and the deleted 40-48) were booted before Kilo: their flavor is still only in system metadata,
-- so Liberty's nova migration 291 refuses to run until Kilo's `nova-manage db migrate_flavor_data --force` moved it.
-- Instance 12 is mid-resize: only --force migrates it.
INSERT INTO instance_system_metadata (created_at, deleted_at, deleted, instance_uuid, `key`, value)
  SELECT created_at, deleted_at, deleted, uuid, 'instance_type_id', CAST(instance_type_id AS CHAR) FROM instances
  WHERE id BETWEEN 9 AND 12 OR id >= 40;
UPDATE instances SET task_state = 'resize_migrating' WHERE id = 12;
INSERT INTO instance_extra (created_at, deleted_at, deleted, instance_uuid, flavor)
  SELECT created_at, deleted_at, deleted, uuid, IF(id BETWEEN 9 AND 12 OR id >= 40, NULL, '{}') FROM instances;
INSERT INTO reservations (created_at, deleted_at, deleted, uuid, usage_id, project_id, resource, delta, expire, user_id)
  SELECT '2016-01-01 00:00:00' + INTERVAL seq DAY, '2016-01-02 00:00:00' + INTERVAL seq DAY, seq,
  CONCAT('4f5a6b7c-0000-4000-8000-', LPAD(seq, 12, '0')), 1, '8a1c0c6e2b6f4c0e9d3a5e7f1b2c3d40', 'instances', 1,
  '2016-01-02 00:00:00' + INTERVAL seq DAY, '2d3e4f5a6b7c4d8e9f0a1b2c3d4e5f60' FROM seq_1_to_10;
