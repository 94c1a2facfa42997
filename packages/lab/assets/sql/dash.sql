CREATE DATABASE dash CHARACTER SET utf8 COLLATE utf8_general_ci;
USE dash;
CREATE TABLE django_session (
  session_key VARCHAR(40) NOT NULL PRIMARY KEY, session_data LONGTEXT NOT NULL, expire_date DATETIME NOT NULL,
  KEY django_session_de54fa62 (expire_date)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
INSERT INTO django_session SELECT MD5(CONCAT('session-', seq)), 'e30=', '2016-05-01 00:00:00' + INTERVAL seq HOUR FROM seq_1_to_20;
