CREATE DATABASE heat CHARACTER SET utf8 COLLATE utf8_general_ci;
USE heat;
CREATE TABLE migrate_version (repository_id VARCHAR(250) NOT NULL PRIMARY KEY, repository_path TEXT, version INT) ENGINE=InnoDB;
CREATE TABLE stack (
  id VARCHAR(36) NOT NULL PRIMARY KEY, created_at DATETIME NOT NULL, updated_at DATETIME, deleted_at DATETIME,
  name VARCHAR(255), raw_template_id INT, username VARCHAR(256), tenant VARCHAR(256), action VARCHAR(255),
  status VARCHAR(255), status_reason TEXT, disable_rollback TINYINT(1) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
CREATE TABLE event (
  id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, uuid VARCHAR(36), stack_id VARCHAR(36) NOT NULL, created_at DATETIME NOT NULL,
  resource_action VARCHAR(255), resource_status VARCHAR(255), resource_name VARCHAR(255), resource_status_reason VARCHAR(255)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
CREATE TABLE service (
  id VARCHAR(36) NOT NULL PRIMARY KEY, engine_id VARCHAR(36) NOT NULL, host VARCHAR(255) NOT NULL, hostname VARCHAR(255) NOT NULL,
  `binary` VARCHAR(255) NOT NULL, topic VARCHAR(255) NOT NULL, report_interval INT NOT NULL, created_at DATETIME,
  updated_at DATETIME, deleted_at DATETIME
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

INSERT INTO stack SELECT CONCAT('7b8c9d0e-0000-4000-8000-', LPAD(seq, 12, '0')), '2016-04-01 00:00:00' + INTERVAL seq DAY, NULL,
  IF(seq <= 3, NULL, '2016-09-01 00:00:00' + INTERVAL seq DAY), CONCAT('stack-', seq), NULL, 'demo',
  '8a1c0c6e2b6f4c0e9d3a5e7f1b2c3d40', IF(seq <= 3, 'CREATE', 'DELETE'), 'COMPLETE', '', 1 FROM seq_1_to_6;
INSERT INTO event (uuid, stack_id, created_at, resource_action, resource_status, resource_name, resource_status_reason)
  SELECT CONCAT('9d0e1f2a-0000-4000-8000-', LPAD(seq, 12, '0')), CONCAT('7b8c9d0e-0000-4000-8000-', LPAD(1 + seq MOD 6, 12, '0')),
  '2016-04-02 00:00:00' + INTERVAL seq HOUR, 'CREATE', 'COMPLETE', 'server', 'state changed' FROM seq_1_to_30;
