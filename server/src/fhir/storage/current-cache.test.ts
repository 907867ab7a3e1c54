import { describe, expect, it } from 'vitest';
import { CurrentVersionCache } from './current-cache.js';
import type { ResourceRow } from './fhir-store.js';

/** A commit stamp moved by hand: `commit()` is what another connection's commit does to it. */
function stampedCache() {
  let generation = 1;
  const cache = new CurrentVersionCache({ current: () => generation });
  return { cache, commit: () => generation++ };
}

const row = (id: string, version: number, content = `{"resourceType":"Patient","id":"${id}"}`): ResourceRow => ({
  resource_type: 'Patient',
  id,
  version_id: version,
  last_updated: '2026-11-29T00:00:00.000Z',
  deleted: 0,
  content,
});

describe('CurrentVersionCache', () => {
  it('answers what a query found, and a missing id as null, until the next commit', () => {
    const { cache, commit } = stampedCache();
    const generation = cache.begin();
    cache.keep(generation, [
      ['Patient\u0000a', row('a', 1)],
      ['Patient\u0000b', null],
    ]);
    expect(cache.get('Patient\u0000a')).toMatchObject({ id: 'a', version_id: 1 });
    expect(cache.get('Patient\u0000b')).toBeNull();
    expect(cache.get('Patient\u0000c')).toBeUndefined();
    commit();
    expect(cache.get('Patient\u0000a')).toBeUndefined();
    expect(cache.get('Patient\u0000b')).toBeUndefined();
  });

  it('keeps nothing a query found when a commit came between its start and its answer', () => {
    const { cache, commit } = stampedCache();
    const generation = cache.begin();
    commit();
    cache.keep(generation, [['Patient\u0000a', row('a', 1)]]);
    expect(cache.get('Patient\u0000a')).toBeUndefined();
  });

  it('drops its oldest entries beyond its bound on stored text', () => {
    const { cache } = stampedCache();
    const big = 'x'.repeat(12 * 1024 * 1024);
    for (const id of ['a', 'b', 'c']) cache.keep(cache.begin(), [[`Patient\u0000${id}`, row(id, 1, big)]]);
    expect(cache.get('Patient\u0000a')).toBeUndefined();
    expect(cache.get('Patient\u0000b')).toMatchObject({ id: 'b' });
    expect(cache.get('Patient\u0000c')).toMatchObject({ id: 'c' });
  });
});
