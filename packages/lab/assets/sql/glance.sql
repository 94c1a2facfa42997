CREATE DATABASE glance CHARACTER SET utf8 COLLATE utf8_general_ci;
USE glance;
CREATE TABLE migrate_version (repository_id VARCHAR(250) NOT NULL PRIMARY KEY, repository_path TEXT, version INT) ENGINE=InnoDB;
CREATE TABLE images (
  id VARCHAR(36) NOT NULL PRIMARY KEY, name VARCHAR(255), size BIGINT, status VARCHAR(30) NOT NULL,
  is_public TINYINT(1) NOT NULL, created_at DATETIME NOT NULL, updated_at DATETIME, deleted_at DATETIME,
  deleted TINYINT(1) NOT NULL, disk_format VARCHAR(20), container_format VARCHAR(20), checksum VARCHAR(32),
  owner VARCHAR(255), min_disk INT NOT NULL, min_ram INT NOT NULL, protected TINYINT(1) NOT NULL, virtual_size BIGINT
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
CREATE TABLE image_locations (
  id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, image_id VARCHAR(36) NOT NULL, value TEXT NOT NULL,
  created_at DATETIME NOT NULL, updated_at DATETIME, deleted_at DATETIME, deleted TINYINT(1) NOT NULL,
  meta_data TEXT, status VARCHAR(30) NOT NULL DEFAULT 'active'
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
CREATE TABLE image_properties (
  id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, image_id VARCHAR(36) NOT NULL, name VARCHAR(255) NOT NULL, value TEXT,
  created_at DATETIME NOT NULL, updated_at DATETIME, deleted_at DATETIME, deleted TINYINT(1) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

INSERT INTO images SELECT CONCAT('6f0c1f5e-0000-4000-8000-', LPAD(seq, 12, '0')), CONCAT('image-', seq), 13287936,
  IF(seq <= 6, 'active', 'deleted'), 1, '2016-01-01 00:00:00' + INTERVAL seq DAY, NULL,
  IF(seq <= 6, NULL, '2016-06-01 00:00:00' + INTERVAL seq DAY), IF(seq <= 6, 0, 1), 'qcow2', 'bare',
  MD5(CONCAT('image-', seq)), 'default-admin', 0, 0, 0, NULL FROM seq_1_to_10;
-- Kilo stored swift locations with the Keystone v2.0 endpoint; the Liberty step rewrites them to v3.
INSERT INTO image_locations (image_id, value, created_at, deleted, meta_data, status)
  SELECT CONCAT('6f0c1f5e-0000-4000-8000-', LPAD(seq, 12, '0')),
  CONCAT('swift+http://glance:secret@172.29.236.10:5000/v2.0/glance/', CONCAT('6f0c1f5e-0000-4000-8000-', LPAD(seq, 12, '0'))),
  '2016-01-01 00:00:00' + INTERVAL seq DAY, IF(seq <= 6, 0, 1), '{}', IF(seq <= 6, 'active', 'deleted') FROM seq_1_to_10;
INSERT INTO image_properties (image_id, name, value, created_at, deleted)
  SELECT CONCAT('6f0c1f5e-0000-4000-8000-', LPAD(seq, 12, '0')), 'hw_disk_bus', 'virtio', '2016-01-01 00:00:00', 0 FROM seq_1_to_10;
