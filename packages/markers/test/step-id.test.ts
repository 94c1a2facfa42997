import { describe, expect, it } from 'vitest';
import { assertStepId, markerFileName, MarkersError, stepIdFromFileName } from '../src/index.js';

describe('step ids and marker file names', () => {
  it('maps an id to a stable file name and back', () => {
    expect(markerFileName('newton/migrate/nova')).toBe('newton+migrate+nova.complete');
    expect(stepIdFromFileName('newton+migrate+nova.complete')).toBe('newton/migrate/nova');
    for (const id of ['preflight', 'kilo/backup/db_1', 'a.b-c/d'])
      expect(stepIdFromFileName(markerFileName(id))).toBe(id);
  });

  it.each([
    '../etc/passwd',
    'a/../../b',
    '/abs',
    'a//b',
    'a/',
    '.',
    'a/./b',
    'UPPER',
    'a b',
    'a+b',
    'a\\b',
    '',
    'x'.repeat(201),
  ])('rejects %j, which could escape the marker folder or collide', (id) => {
    expect(() => assertStepId(id)).toThrowError(MarkersError);
    try {
      assertStepId(id);
    } catch (error) {
      expect((error as MarkersError).code).toBe('LEAP_STEP_ID_INVALID');
      expect((error as MarkersError).hint).toContain('newton/migrate/nova');
    }
  });

  it('does not take upstream or temp file names for leap step ids', () => {
    expect(stepIdFromFileName('.leap-tmp-x.complete.1.ab')).toBeUndefined();
    expect(
      stepIdFromFileName(
        'deploy-config-changes-liberty.yml-e--osa_playbook_dir--opt-leap42-openstack-ansible-liberty-eol-.complete',
      ),
    ).toBe('deploy-config-changes-liberty.yml-e--osa_playbook_dir--opt-leap42-openstack-ansible-liberty-eol-');
    expect(stepIdFromFileName('leap.json')).toBeUndefined();
  });
});
