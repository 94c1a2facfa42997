import { describe, expect, it } from 'vitest';
import {
  classify,
  detectSchemaVersions,
  expectedVersions,
  releaseMigrations,
  schemaOf,
  withDb,
  type ComponentVersion,
} from '../src/index.js';
import { serverPerFile } from './helpers.js';

const lab = serverPerFile();

const byService = <T extends { service: string }>(rows: T[]) => Object.fromEntries(rows.map((r) => [r.service, r]));

describe('detectSchemaVersions', () => {
  it('maps every service of a Kilo seed to kilo and reports optional databases as absent', async () => {
    const { conn } = await lab.fresh({ housekeeping: false });
    const versions = byService(await withDb(conn, (db) => detectSchemaVersions(db)));
    for (const service of ['keystone', 'glance', 'cinder', 'nova', 'neutron', 'heat']) {
      expect(versions[service], service).toMatchObject({
        present: true,
        release: 'kilo',
        partial: false,
        beyond: false,
        unknown: [],
      });
    }
    expect(versions.neutron?.components).toEqual([
      { component: 'neutron:expand', value: 'kilo', ordinal: 0 },
      { component: 'neutron:contract', value: 'kilo', ordinal: 0 },
    ]);
    for (const service of ['nova_api', 'aodh', 'ironic']) expect(versions[service]?.present, service).toBe(false);
  });
});

describe('classify', () => {
  const v = (
    component: string,
    value: number | string | null,
    ordinal: number | null = typeof value === 'number' ? value : null,
  ): ComponentVersion => ({ component, value, ordinal });

  it('places a neutron database with only the liberty expand head at kilo, part-way to liberty', () => {
    const result = classify(schemaOf('neutron'), 'neutron', [
      v('neutron:expand', '34af2b5c5a59', 12),
      v('neutron:contract', 'kilo', 0),
    ]);
    expect(result).toMatchObject({ release: 'kilo', partial: true });
  });

  it('reports a revision the table does not know as unknown and beyond newton', () => {
    const result = classify(schemaOf('neutron'), 'neutron', [
      v('neutron:expand', 'abcdef123456', null),
      v('neutron:contract', '5c85685d616d', 28),
    ]);
    expect(result).toMatchObject({ release: null, beyond: true, unknown: ['neutron:expand=abcdef123456'] });
  });

  it('treats keystone at 109 without the Newton expand/contract rows as an interrupted Newton sync', () => {
    const result = classify(schemaOf('keystone'), 'keystone', [
      v('keystone', 109),
      v('keystone_expand', null),
      v('keystone_data_migrate', null),
      v('keystone_contract', null),
    ]);
    expect(result).toMatchObject({ release: 'mitaka', partial: true });
  });

  it('says glance 44 matches both mitaka and newton', () => {
    expect(classify(schemaOf('glance'), 'glance', [v('glance', 44)])).toMatchObject({
      release: 'newton',
      matches: ['mitaka', 'newton'],
      partial: false,
    });
  });

  it('accepts keystone 96 as mitaka complete (9.0.x) and nova at 290 as kilo part-way to liberty', () => {
    expect(classify(schemaOf('keystone'), 'keystone', [v('keystone', 96)])).toMatchObject({
      release: 'mitaka',
      partial: false,
    });
    expect(classify(schemaOf('nova'), 'nova', [v('nova', 290)])).toMatchObject({ release: 'kilo', partial: true });
  });
});

describe('release data', () => {
  it('expects, after each release, exactly the versions of the schema table', () => {
    for (const plan of releaseMigrations) {
      for (const step of plan.steps) {
        if (step.kind !== 'service') continue;
        expect(step.expect, `${plan.release} ${step.service}`).toEqual(expectedVersions(step.service, plan.release));
      }
    }
  });

  it('runs the services of every release in the order of the upstream playbooks', () => {
    const order = (i: number) => releaseMigrations[i]!.steps.map((s) => (s.kind === 'sql' ? s.fix : s.service));
    expect(order(0)).toEqual([
      'keystone',
      'glance',
      'cinder',
      'nova',
      'neutron',
      'heat',
      'drop-horizon-database',
      'glance-image-locations-v3',
    ]);
    expect(order(1)).toEqual([
      'keystone',
      'glance',
      'cinder',
      'nova',
      'neutron',
      'heat',
      'drop-horizon-database',
      'ironic',
      'neutron-network-mtu',
    ]);
    expect(order(2)).toEqual([
      'collation-utf8-general',
      'keystone',
      'glance',
      'cinder',
      'cinder-services-purge',
      'nova',
      'neutron',
      'heat',
      'drop-horizon-database',
      'aodh',
      'ironic',
    ]);
  });
});
