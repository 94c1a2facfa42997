CREATE DATABASE cinder CHARACTER SET utf8 COLLATE utf8_general_ci;
USE cinder;
CREATE TABLE migrate_version (repository_id VARCHAR(250) NOT NULL PRIMARY KEY, repository_path TEXT, version INT) ENGINE=InnoDB;
CREATE TABLE services (
  id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, created_at DATETIME, updated_at DATETIME, deleted_at DATETIME,
  deleted TINYINT(1), host VARCHAR(255), `binary` VARCHAR(255), topic VARCHAR(255), report_count INT NOT NULL,
  disabled TINYINT(1), availability_zone VARCHAR(255), disabled_reason VARCHAR(255), modified_at DATETIME
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
CREATE TABLE volumes (
  id VARCHAR(36) NOT NULL PRIMARY KEY, created_at DATETIME, updated_at DATETIME, deleted_at DATETIME, deleted TINYINT(1),
  user_id VARCHAR(255), project_id VARCHAR(255), host VARCHAR(255), size INT, availability_zone VARCHAR(255),
  status VARCHAR(255), attach_status VARCHAR(255), display_name VARCHAR(255)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
CREATE TABLE snapshots (
  id VARCHAR(36) NOT NULL PRIMARY KEY, created_at DATETIME, deleted_at DATETIME, deleted TINYINT(1),
  volume_id VARCHAR(36) NOT NULL, status VARCHAR(255), volume_size INT, display_name VARCHAR(255)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

INSERT INTO volumes SELECT CONCAT('0c1d2e3f-0000-4000-8000-', LPAD(seq, 12, '0')), '2016-02-01 00:00:00' + INTERVAL seq DAY, NULL,
  IF(seq <= 8, NULL, '2016-07-01 00:00:00' + INTERVAL seq DAY), IF(seq <= 8, 0, 1), '2d3e4f5a6b7c4d8e9f0a1b2c3d4e5f60',
  '8a1c0c6e2b6f4c0e9d3a5e7f1b2c3d40', 'storage1@lvm#LVM_iSCSI', seq, 'nova', IF(seq <= 8, 'available', 'deleted'), 'detached',
  CONCAT('volume-', seq) FROM seq_1_to_14;
INSERT INTO snapshots SELECT CONCAT('5a6b7c8d-0000-4000-8000-', LPAD(seq, 12, '0')), '2016-03-01 00:00:00', NULL, 0,
  CONCAT('0c1d2e3f-0000-4000-8000-', LPAD(seq, 12, '0')), 'available', seq, CONCAT('snapshot-', seq) FROM seq_1_to_3;
