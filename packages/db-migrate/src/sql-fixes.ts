import type { Db } from './connection.js';
import { DbMigrateError } from './errors.js';
import type { SqlFix } from './releases/types.js';

const quoteId = (name: string): string => `\`${name.replace(/`/g, '``')}\``;

/** What the SQL-only fixes need to know about the deployment (from its config; OSA defaults otherwise). */
export interface SqlFixOptions {
  /** glance: the keystone address inside stored swift URLs; the v3 rewrite fails without it. */
  internalLbVipAddress?: string;
  keystoneServicePort?: number;
  /** glance_swift_store_auth_version; the rewrite runs only for 3 (the OSA default). */
  glanceSwiftStoreAuthVersion?: number;
  /**
   * Provider networks from openstack_user_config.yml: net_name -> container_mtu (`{}` when none sets one).
   * The MTU repair fails without it: guessing per network type would undersize jumbo-frame networks.
   */
  providerNetworkMtu?: Record<string, number>;
  /** neutron_network_device_mtu, if the deployment sets it. */
  neutronNetworkDeviceMtu?: number;
  /** horizon_galera_database (OSA default `dash`). */
  horizonDatabase?: string;
  databases?: { glance?: string; neutron?: string; cinder?: string };
}

export interface SqlFixResult {
  fix: SqlFix;
  /** Rows or objects changed; 0 when there was nothing to do (every fix is idempotent). */
  changed: number;
  note?: string;
}

const systemSchemas = new Set(['mysql', 'information_schema', 'performance_schema', 'sys']);

export async function applySqlFix(db: Db, fix: SqlFix, options: SqlFixOptions = {}): Promise<SqlFixResult> {
  switch (fix) {
    case 'drop-horizon-database': {
      const name = options.horizonDatabase ?? 'dash';
      const exists = await db.query<unknown[]>('SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [
        name,
      ]);
      if (exists.length > 0) await db.query(`DROP DATABASE ${quoteId(name)}`);
      return { fix, changed: exists.length };
    }
    case 'glance-image-locations-v3':
      return glanceLocations(db, options);
    case 'neutron-network-mtu':
      return networkMtu(db, options);
    case 'collation-utf8-general':
      return collation(db);
    case 'cinder-services-purge': {
      const cinder = quoteId(options.databases?.cinder ?? 'cinder');
      // Same as `cinder-manage service remove` for every row: a soft delete.
      const result = await db.query<{ affectedRows: number }>(
        `UPDATE ${cinder}.services SET deleted = 1, deleted_at = UTC_TIMESTAMP() WHERE deleted = 0`,
      );
      return { fix, changed: result.affectedRows };
    }
  }
}

async function glanceLocations(db: Db, options: SqlFixOptions): Promise<SqlFixResult> {
  const fix = 'glance-image-locations-v3';
  if ((options.glanceSwiftStoreAuthVersion ?? 3) !== 3)
    return { fix, changed: 0, note: 'glance_swift_store_auth_version is not 3' };
  if (!options.internalLbVipAddress)
    throw missingSetting(
      fix,
      'internal_lb_vip_address',
      'global_overrides.internal_lb_vip_address in openstack_user_config.yml',
    );
  const glance = quoteId(options.databases?.glance ?? 'glance');
  const port = options.keystoneServicePort ?? 5000;
  const backup = 'image_locations_keystone_v3_mig_pre_liberty';
  const has = await db.query<unknown[]>(
    'SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?',
    [options.databases?.glance ?? 'glance', backup],
  );
  // The backup of the original rows is taken once; a re-run must not overwrite it with rewritten rows.
  if (has.length === 0) await db.query(`CREATE TABLE ${glance}.${backup} AS SELECT * FROM ${glance}.image_locations`);
  const like = `swift%${options.internalLbVipAddress.replace(/[\\%_]/g, '\\$&')}:${port}/v2.0/%`;
  const result = await db.query<{ affectedRows: number }>(
    `UPDATE ${glance}.image_locations SET value = REPLACE(value, ?, ?) WHERE value LIKE ? AND status = 'active'`,
    [`${port}/v2.0/`, `${port}/v3/`, like],
  );
  return { fix, changed: result.affectedRows };
}

async function networkMtu(db: Db, options: SqlFixOptions): Promise<SqlFixResult> {
  const fix = 'neutron-network-mtu';
  if (options.providerNetworkMtu === undefined) {
    throw missingSetting(
      fix,
      "the provider networks' container_mtu",
      'global_overrides.provider_networks in openstack_user_config.yml',
    );
  }
  const neutron = quoteId(options.databases?.neutron ?? 'neutron');
  const rows = await db.query<{ network_id: string; network_type: string; physical_network: string | null }[]>(
    `SELECT s.network_id, s.network_type, s.physical_network FROM ${neutron}.ml2_network_segments s
       JOIN ${neutron}.networks n ON n.id = s.network_id
      WHERE n.mtu = 0 AND s.network_type IN ('vlan', 'flat', 'vxlan', 'gre') ORDER BY s.network_id`,
  );
  let changed = 0;
  await db.query('START TRANSACTION');
  try {
    for (const row of rows) {
      const mtu = chooseMtu(row.network_type, row.physical_network, options);
      const result = await db.query<{ affectedRows: number }>(
        `UPDATE ${neutron}.networks SET mtu = ? WHERE id = ? AND mtu = 0`,
        [mtu, row.network_id],
      );
      changed += result.affectedRows;
    }
    await db.query('COMMIT');
  } catch (error) {
    await db.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
  return { fix, changed };
}

function missingSetting(fix: SqlFix, setting: string, where: string): DbMigrateError {
  return new DbMigrateError('LEAP_SQLFIX_SETTING_MISSING', `SQL fix ${fix} needs ${setting}, which was not given`, {
    hint: `set ${where} (leap reads it from the deployment's configuration), then run the leap again; the fix is idempotent`,
    step: fix,
  });
}

/** The rules of OPS neutron-mtu-migration.yml: the provider network's container_mtu, else the device MTU, else per type. */
export function chooseMtu(type: string, physicalNetwork: string | null, options: SqlFixOptions): number {
  const provider = physicalNetwork === null ? undefined : options.providerNetworkMtu?.[physicalNetwork];
  if (provider !== undefined) return provider;
  if (options.neutronNetworkDeviceMtu !== undefined) return options.neutronNetworkDeviceMtu;
  if (type === 'vlan' || type === 'flat') return 1500;
  if (type === 'gre') return 1476;
  return 1450;
}

async function collation(db: Db): Promise<SqlFixResult> {
  const fix = 'collation-utf8-general';
  const tables = await db.query<{ TABLE_SCHEMA: string; TABLE_NAME: string }[]>(
    `SELECT TABLE_SCHEMA, TABLE_NAME FROM information_schema.TABLES
      WHERE TABLE_COLLATION = 'utf8_unicode_ci' OR TABLE_COLLATION = 'utf8mb3_unicode_ci'
      ORDER BY TABLE_SCHEMA, TABLE_NAME`,
  );
  const schemas = await db.query<{ SCHEMA_NAME: string }[]>(
    `SELECT SCHEMA_NAME FROM information_schema.SCHEMATA
      WHERE DEFAULT_COLLATION_NAME = 'utf8_unicode_ci' OR DEFAULT_COLLATION_NAME = 'utf8mb3_unicode_ci'`,
  );
  let changed = 0;
  // Session-level, unlike upstream's SET GLOBAL: other sessions keep their foreign key checks.
  await db.query('SET SESSION FOREIGN_KEY_CHECKS = 0');
  try {
    for (const t of tables) {
      if (systemSchemas.has(t.TABLE_SCHEMA)) continue;
      await db.query(
        `ALTER TABLE ${quoteId(t.TABLE_SCHEMA)}.${quoteId(t.TABLE_NAME)} CONVERT TO CHARACTER SET utf8 COLLATE utf8_general_ci`,
      );
      changed++;
    }
  } finally {
    await db.query('SET SESSION FOREIGN_KEY_CHECKS = 1');
  }
  for (const s of schemas) {
    if (systemSchemas.has(s.SCHEMA_NAME)) continue;
    await db.query(`ALTER DATABASE ${quoteId(s.SCHEMA_NAME)} CHARACTER SET utf8 COLLATE utf8_general_ci`);
    changed++;
  }
  return { fix, changed };
}
