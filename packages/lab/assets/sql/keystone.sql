CREATE DATABASE keystone CHARACTER SET utf8 COLLATE utf8_general_ci;
USE keystone;
CREATE TABLE migrate_version (repository_id VARCHAR(250) NOT NULL PRIMARY KEY, repository_path TEXT, version INT) ENGINE=InnoDB;
CREATE TABLE project (
  id VARCHAR(64) NOT NULL PRIMARY KEY, name VARCHAR(64) NOT NULL, extra TEXT, description TEXT,
  enabled TINYINT(1), domain_id VARCHAR(64) NOT NULL, parent_id VARCHAR(64)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
CREATE TABLE `user` (
  id VARCHAR(64) NOT NULL PRIMARY KEY, name VARCHAR(255) NOT NULL, extra TEXT, password VARCHAR(128),
  enabled TINYINT(1), domain_id VARCHAR(64) NOT NULL, default_project_id VARCHAR(64)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
CREATE TABLE token (
  id VARCHAR(64) NOT NULL PRIMARY KEY, expires DATETIME, extra TEXT, valid TINYINT(1) NOT NULL,
  trust_id VARCHAR(64), user_id VARCHAR(64),
  KEY ix_token_expires (expires), KEY ix_token_expires_valid (expires, valid)
) ENGINE=InnoDB DEFAULT CHARSET=utf8 COLLATE=utf8_unicode_ci;
CREATE TABLE revocation_event (
  id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, domain_id VARCHAR(64), project_id VARCHAR(64), user_id VARCHAR(64),
  issued_before DATETIME NOT NULL, revoked_at DATETIME NOT NULL, audit_id VARCHAR(32)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

INSERT INTO project VALUES
  ('default-admin', 'admin', '{}', 'Admin project', 1, 'default', NULL),
  ('default-service', 'service', '{}', 'Service project', 1, 'default', NULL),
  ('8a1c0c6e2b6f4c0e9d3a5e7f1b2c3d40', 'demo', '{}', 'Demo project', 1, 'default', NULL);
INSERT INTO `user` VALUES
  ('0b9f6f3e0c7a4d5e8f1a2b3c4d5e6f70', 'admin', '{}', NULL, 1, 'default', 'default-admin'),
  ('1c2d3e4f5a6b4c7d8e9f0a1b2c3d4e50', 'nova', '{}', NULL, 1, 'default', 'default-service'),
  ('2d3e4f5a6b7c4d8e9f0a1b2c3d4e5f60', 'demo', '{}', NULL, 1, 'default', '8a1c0c6e2b6f4c0e9d3a5e7f1b2c3d40');
-- 240 expired tokens, then 12 that are still valid.
INSERT INTO token SELECT MD5(CONCAT('expired-token-', seq)), '2016-03-01 00:00:00' + INTERVAL seq HOUR, '{}', 1, NULL,
  '2d3e4f5a6b7c4d8e9f0a1b2c3d4e5f60' FROM seq_1_to_240;
INSERT INTO token SELECT MD5(CONCAT('valid-token-', seq)), '2099-01-01 00:00:00' + INTERVAL seq HOUR, '{}', 1, NULL,
  '0b9f6f3e0c7a4d5e8f1a2b3c4d5e6f70' FROM seq_1_to_12;
INSERT INTO revocation_event (project_id, issued_before, revoked_at, audit_id) VALUES
  ('8a1c0c6e2b6f4c0e9d3a5e7f1b2c3d40', '2016-04-01 00:00:00', '2016-04-01 00:00:01', 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6');
