import { describe, expect, it } from 'vitest';
import { cacheSeconds, ClientJwksCache } from './client-jwks.js';

function fakeFetch(sets: { keys: { kid: string; kty: string }[] }[], cacheControl: string | null = 'max-age=600') {
  const calls: string[] = [];
  let i = 0;
  const fetchImpl = async (url: string) => {
    calls.push(url);
    const body = sets[Math.min(i++, sets.length - 1)]!;
    return { ok: true, headers: { get: (name: string) => (name === 'cache-control' ? cacheControl : null) }, json: async () => body };
  };
  return { calls, fetchImpl };
}

describe('cacheSeconds', () => {
  it.each([
    [null, 300],
    ['max-age=600', 600],
    ['public, max-age=5', 60],
    ['max-age=999999', 86400],
    ['no-store', 0],
    ['no-cache', 0],
  ])('%s → %s', (header, seconds) => {
    expect(cacheSeconds(header)).toBe(seconds);
  });
});

describe('ClientJwksCache', () => {
  it('keeps a fetched set while Cache-Control allows and refetches for an unknown kid (rotation)', async () => {
    let now = 0;
    const { calls, fetchImpl } = fakeFetch([{ keys: [{ kid: 'a', kty: 'EC' }] }, { keys: [{ kid: 'b', kty: 'EC' }] }]);
    const cache = new ClientJwksCache(fetchImpl, () => now);
    expect((await cache.keysFor('https://k.example/jwks', 'a')).keys[0]!.kid).toBe('a');
    await cache.keysFor('https://k.example/jwks', 'a');
    expect(calls).toHaveLength(1);
    expect((await cache.keysFor('https://k.example/jwks', 'b')).keys[0]!.kid).toBe('b');
    expect(calls).toHaveLength(2);
    // A second unknown kid within a minute does not hammer the publisher.
    await cache.keysFor('https://k.example/jwks', 'c');
    expect(calls).toHaveLength(2);
    now += 601_000;
    await cache.keysFor('https://k.example/jwks', 'b');
    expect(calls).toHaveLength(3);
  });

  it('does not keep a no-store answer', async () => {
    const { calls, fetchImpl } = fakeFetch([{ keys: [{ kid: 'a', kty: 'EC' }] }], 'no-store');
    const cache = new ClientJwksCache(fetchImpl, () => 0);
    await cache.keysFor('https://k.example/jwks', 'a');
    await cache.keysFor('https://k.example/jwks', 'a');
    expect(calls).toHaveLength(2);
  });
});
