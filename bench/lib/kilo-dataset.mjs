// A data set shaped like a Kilo cloud's databases (keystone with expired UUID tokens, nova, neutron, cinder, glance,
// heat), of about `targetMb` MB of InnoDB data, deterministic by `seed`: every id, text and timestamp derives from the
// seed and the row number (no UUID(), RAND() or NOW()), so two runs with one seed hold the same rows.
// Token expiry is fixed in the past (2016) or the future (2036), so "expired" does not depend on the day it runs.

/** Shares of the data set by table family; keystone.token dominates a Kilo database that was never purged. */
const shares = { token: 0.6, nova: 0.25, neutron: 0.05, cinder: 0.04, glance: 0.03, heat: 0.03 };

const schema = `
CREATE DATABASE keystone; CREATE DATABASE nova; CREATE DATABASE neutron; CREATE DATABASE cinder; CREATE DATABASE glance; CREATE DATABASE heat;
CREATE TABLE keystone.token (id VARCHAR(64) NOT NULL PRIMARY KEY, expires DATETIME, extra TEXT, valid TINYINT(1) NOT NULL,
  trust_id VARCHAR(64), user_id VARCHAR(64), KEY ix_token_expires (expires), KEY ix_token_expires_valid (expires, valid)) ENGINE=InnoDB;
CREATE TABLE nova.instances (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, uuid VARCHAR(36) NOT NULL, hostname VARCHAR(255), host VARCHAR(255),
  user_data MEDIUMTEXT, vm_state VARCHAR(255), created_at DATETIME, deleted_at DATETIME, deleted INT, UNIQUE KEY uniq_instances0uuid (uuid)) ENGINE=InnoDB;
CREATE TABLE nova.instance_system_metadata (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, instance_uuid VARCHAR(36) NOT NULL, \`key\` VARCHAR(255),
  value TEXT, created_at DATETIME, deleted_at DATETIME, deleted INT, KEY instance_uuid (instance_uuid)) ENGINE=InnoDB;
CREATE TABLE nova.instance_faults (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, instance_uuid VARCHAR(36), code INT, message VARCHAR(255),
  details MEDIUMTEXT, created_at DATETIME, deleted_at DATETIME, deleted INT, KEY instance_uuid (instance_uuid)) ENGINE=InnoDB;
CREATE TABLE neutron.networks (id VARCHAR(36) NOT NULL PRIMARY KEY, tenant_id VARCHAR(255), name VARCHAR(255), status VARCHAR(16), mtu INT) ENGINE=InnoDB;
CREATE TABLE neutron.ports (id VARCHAR(36) NOT NULL PRIMARY KEY, tenant_id VARCHAR(255), network_id VARCHAR(36) NOT NULL, mac_address VARCHAR(32),
  device_id VARCHAR(255), device_owner VARCHAR(255), status VARCHAR(16), KEY network_id (network_id)) ENGINE=InnoDB;
CREATE TABLE neutron.ipallocations (port_id VARCHAR(36), ip_address VARCHAR(64) NOT NULL, subnet_id VARCHAR(36) NOT NULL, network_id VARCHAR(36) NOT NULL,
  PRIMARY KEY (ip_address, subnet_id, network_id)) ENGINE=InnoDB;
CREATE TABLE cinder.volumes (id VARCHAR(36) NOT NULL PRIMARY KEY, size INT, status VARCHAR(255), display_name VARCHAR(255), display_description VARCHAR(255),
  created_at DATETIME, deleted_at DATETIME, deleted TINYINT(1)) ENGINE=InnoDB;
CREATE TABLE cinder.volume_metadata (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, volume_id VARCHAR(36) NOT NULL, \`key\` VARCHAR(255), value VARCHAR(255),
  created_at DATETIME, deleted_at DATETIME, deleted TINYINT(1), KEY volume_id (volume_id)) ENGINE=InnoDB;
CREATE TABLE glance.images (id VARCHAR(36) NOT NULL PRIMARY KEY, name VARCHAR(255), size BIGINT, status VARCHAR(30), checksum VARCHAR(32),
  created_at DATETIME, deleted_at DATETIME, deleted TINYINT(1)) ENGINE=InnoDB;
CREATE TABLE glance.image_properties (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, image_id VARCHAR(36) NOT NULL, name VARCHAR(255), value TEXT,
  created_at DATETIME, deleted_at DATETIME, deleted TINYINT(1), KEY image_id (image_id)) ENGINE=InnoDB;
CREATE TABLE heat.stack (id VARCHAR(36) NOT NULL PRIMARY KEY, name VARCHAR(255), raw_template_id INT, status VARCHAR(255), status_reason TEXT,
  created_at DATETIME, deleted_at DATETIME) ENGINE=InnoDB;
CREATE TABLE heat.event (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, stack_id VARCHAR(36) NOT NULL, resource_action VARCHAR(255),
  resource_status VARCHAR(255), resource_properties LONGBLOB, created_at DATETIME, KEY stack_id (stack_id)) ENGINE=InnoDB;
`;

/** Approximate bytes per row, InnoDB pages included, from measuring the tables above. */
const rowBytes = {
  token: 1100,
  instance: 1500,
  sysmeta: 140,
  network: 200,
  port: 260,
  cinder: 350,
  image: 300,
  stack: 700,
};

/**
 * Creates the databases on `sql` (a mysql2 connection with multipleStatements) and fills them.
 * Returns the row counts and the number of expired tokens.
 */
export async function generateKiloDataset(sql, { targetMb = 1100, seed = 1 } = {}) {
  const mb = (share) => targetMb * share * 2 ** 20;
  const n = {
    tokens: Math.round(mb(shares.token) / rowBytes.token),
    instances: Math.round(mb(shares.nova) / (rowBytes.instance + 6 * rowBytes.sysmeta)),
    networks: Math.round(mb(shares.neutron) / (rowBytes.network + 20 * rowBytes.port)),
    volumes: Math.round(mb(shares.cinder) / (rowBytes.cinder * 3)),
    images: Math.round(mb(shares.glance) / (rowBytes.image * 5)),
    stacks: Math.round(mb(shares.heat) / (rowBytes.stack * 10)),
  };
  const s = Number(seed);
  // h(x): a deterministic hex string of the seed and a row expression.
  const h = (expr, bits = 256) => `SHA2(CONCAT_WS(':', '${s}', ${expr}), ${bits})`;
  const uuid = (expr) =>
    `INSERT(INSERT(INSERT(INSERT(LEFT(MD5(CONCAT_WS(':', '${s}', ${expr})), 32), 9, 0, '-'), 14, 0, '-'), 19, 0, '-'), 24, 0, '-')`;
  const at = (expr) => `TIMESTAMP('2015-06-01') + INTERVAL (${expr}) MOD 31536000 SECOND`;
  await sql.query(schema);
  await sql.query('USE keystone'); // the seq_1_to_N tables resolve in the current database
  const batches = async (total, size, insert) => {
    for (let done = 0; done < total; done += size) await sql.query(insert(done, Math.min(size, total - done)));
  };
  // Two tokens in three have expired (a Kilo cloud whose token flush never ran).
  await batches(
    n.tokens,
    100_000,
    (
      o,
      k,
    ) => `INSERT INTO keystone.token SELECT ${h(`${o} + seq`, 256)}, IF((${o} + seq) % 3 = 0, TIMESTAMP('2036-01-01'), TIMESTAMP('2016-01-01') + INTERVAL (${o} + seq) SECOND),
    REPEAT(${h(`'x', ${o} + seq`)}, 15), 1, NULL, LEFT(${h(`(${o} + seq) MOD 1000`)}, 32) FROM seq_1_to_${k}`,
  );
  // One instance in five deleted; six system_metadata rows and one fault in four per instance.
  await batches(
    n.instances,
    50_000,
    (
      o,
      k,
    ) => `INSERT INTO nova.instances (id, uuid, hostname, host, user_data, vm_state, created_at, deleted_at, deleted)
    SELECT ${o} + seq, ${uuid(`'i', ${o} + seq`)}, CONCAT('vm-', ${o} + seq), CONCAT('compute', (${o} + seq) MOD 200), REPEAT(${h(`'u', ${o} + seq`, 512)}, 11),
    IF((${o} + seq) % 5 = 0, 'deleted', 'active'), ${at(`${o} + seq`)}, IF((${o} + seq) % 5 = 0, ${at(`${o} + seq + 86400`)}, NULL), IF((${o} + seq) % 5 = 0, ${o} + seq, 0)
    FROM seq_1_to_${k}`,
  );
  await sql.query(`INSERT INTO nova.instance_system_metadata (instance_uuid, \`key\`, value, created_at, deleted_at, deleted)
    SELECT i.uuid, CONCAT('image_', k.seq), LEFT(${h('i.id, k.seq')}, 40), i.created_at, i.deleted_at, IF(i.deleted = 0, 0, i.id * 6 + k.seq)
    FROM nova.instances i JOIN seq_1_to_6 k`);
  await sql.query(`INSERT INTO nova.instance_faults (instance_uuid, code, message, details, created_at, deleted_at, deleted)
    SELECT uuid, 500, 'No valid host was found.', REPEAT('Traceback (most recent call last): ', 8), created_at, deleted_at, deleted FROM nova.instances WHERE id % 4 = 0`);
  await batches(
    n.networks,
    10_000,
    (
      o,
      k,
    ) => `INSERT INTO neutron.networks SELECT ${uuid(`'n', ${o} + seq`)}, LEFT(${h(`'t', (${o} + seq) MOD 300`)}, 32),
    CONCAT('net-', ${o} + seq), 'ACTIVE', IF((${o} + seq) % 7 = 0, 0, 1450) FROM seq_1_to_${k}`,
  );
  await sql.query(`INSERT INTO neutron.ports SELECT ${uuid("'p', net.name, k.seq")}, net.tenant_id, net.id,
    CONCAT('fa:16:3e:', LPAD(HEX(k.seq), 2, '0'), ':', LEFT(MD5(net.id), 2), ':', SUBSTR(MD5(net.id), 3, 2)), ${uuid("'d', net.name, k.seq")},
    IF(k.seq = 1, 'network:dhcp', 'compute:nova'), 'ACTIVE' FROM neutron.networks net JOIN seq_1_to_20 k`);
  await sql.query(`INSERT INTO neutron.ipallocations SELECT p.id, CONCAT('10.', (ROW_NUMBER() OVER (ORDER BY p.id)) DIV 65536 MOD 256, '.',
    (ROW_NUMBER() OVER (ORDER BY p.id)) DIV 256 MOD 256, '.', (ROW_NUMBER() OVER (ORDER BY p.id)) MOD 256), ${uuid("'s', p.network_id")}, p.network_id FROM neutron.ports p`);
  await batches(
    n.volumes,
    20_000,
    (
      o,
      k,
    ) => `INSERT INTO cinder.volumes SELECT ${uuid(`'v', ${o} + seq`)}, 1 + (${o} + seq) MOD 500, IF((${o} + seq) % 6 = 0, 'deleted', 'available'),
    CONCAT('vol-', ${o} + seq), LEFT(${h(`'vd', ${o} + seq`)}, 60), ${at(`${o} + seq`)}, IF((${o} + seq) % 6 = 0, ${at(`${o} + seq + 3600`)}, NULL), (${o} + seq) % 6 = 0
    FROM seq_1_to_${k}`,
  );
  await sql.query(`INSERT INTO cinder.volume_metadata (volume_id, \`key\`, value, created_at, deleted_at, deleted)
    SELECT v.id, CONCAT('attached_mode_', k.seq), 'rw', v.created_at, v.deleted_at, v.deleted FROM cinder.volumes v JOIN seq_1_to_2 k`);
  await batches(
    n.images,
    20_000,
    (
      o,
      k,
    ) => `INSERT INTO glance.images SELECT ${uuid(`'g', ${o} + seq`)}, CONCAT('image-', ${o} + seq), 1048576 * (1 + (${o} + seq) MOD 4096),
    IF((${o} + seq) % 8 = 0, 'deleted', 'active'), LEFT(MD5(CONCAT('${s}', ${o} + seq)), 32), ${at(`${o} + seq`)}, IF((${o} + seq) % 8 = 0, ${at(`${o} + seq + 60`)}, NULL), (${o} + seq) % 8 = 0
    FROM seq_1_to_${k}`,
  );
  await sql.query(`INSERT INTO glance.image_properties (image_id, name, value, created_at, deleted_at, deleted)
    SELECT g.id, ELT(k.seq, 'architecture', 'os_distro', 'hypervisor_type', 'min_ram'), LEFT(${h('g.id, k.seq')}, 20), g.created_at, g.deleted_at, g.deleted
    FROM glance.images g JOIN seq_1_to_4 k`);
  await batches(
    n.stacks,
    10_000,
    (
      o,
      k,
    ) => `INSERT INTO heat.stack SELECT ${uuid(`'h', ${o} + seq`)}, CONCAT('stack-', ${o} + seq), ${o} + seq, 'CREATE_COMPLETE',
    'Stack CREATE completed successfully', ${at(`${o} + seq`)}, IF((${o} + seq) % 4 = 0, ${at(`${o} + seq + 7200`)}, NULL) FROM seq_1_to_${k}`,
  );
  await sql.query(`INSERT INTO heat.event (stack_id, resource_action, resource_status, resource_properties, created_at)
    SELECT st.id, 'CREATE', 'COMPLETE', REPEAT(${h('st.id, k.seq')}, 8), st.created_at FROM heat.stack st JOIN seq_1_to_10 k`);
  const [[expired]] = await sql.query(
    "SELECT COUNT(*) AS n FROM keystone.token WHERE expires < TIMESTAMP('2020-01-01')",
  );
  return {
    rows: n,
    expiredTokens: Number(expired.n),
    databases: ['cinder', 'glance', 'heat', 'keystone', 'neutron', 'nova'],
  };
}
