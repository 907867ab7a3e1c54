import { createLocalJWKSet, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';

type Fetch = (url: string, init: { signal: AbortSignal; headers: Record<string, string> }) => Promise<{ ok: boolean; headers: { get(name: string): string | null }; json(): Promise<unknown> }>;

interface Entry {
  jwks: JSONWebKeySet;
  until: number;
}

/** max-age from Cache-Control, bounded to [1 min, 1 day]; 5 minutes when absent. no-store/no-cache → not kept. */
export function cacheSeconds(cacheControl: string | null): number {
  if (!cacheControl) return 300;
  if (/no-store|no-cache/i.test(cacheControl)) return 0;
  const maxAge = /max-age=(\d+)/i.exec(cacheControl);
  return maxAge ? Math.min(86_400, Math.max(60, Number(maxAge[1]))) : 300;
}

/**
 * Client keys published at a registered `jwks_uri`: cached as the publisher's Cache-Control
 * says, and fetched again when an assertion names a `kid` that the cached set does not have
 * (key rotation), at most once a minute per URL.
 */
export class ClientJwksCache {
  private readonly entries = new Map<string, Entry>();
  private readonly lastForced = new Map<string, number>();

  constructor(
    private readonly fetchImpl: Fetch = fetch as unknown as Fetch,
    private readonly now: () => number = Date.now,
  ) {}

  private async load(url: string): Promise<JSONWebKeySet> {
    const response = await this.fetchImpl(url, { signal: AbortSignal.timeout(5_000), headers: { accept: 'application/json' } });
    if (!response.ok) throw new Error('jwks_uri fetch failed');
    const body = (await response.json()) as JSONWebKeySet;
    if (!body || !Array.isArray(body.keys)) throw new Error('jwks_uri did not return a JWK Set');
    const seconds = cacheSeconds(response.headers.get('cache-control'));
    this.entries.set(url, { jwks: body, until: this.now() + seconds * 1000 });
    return body;
  }

  async keysFor(url: string, kid: string): Promise<JSONWebKeySet> {
    const cached = this.entries.get(url);
    if (cached && cached.until > this.now()) {
      if (cached.jwks.keys.some((key) => key.kid === kid)) return cached.jwks;
      const forcedAt = this.lastForced.get(url);
      if (forcedAt !== undefined && this.now() - forcedAt < 60_000) return cached.jwks;
      this.lastForced.set(url, this.now());
    }
    return this.load(url);
  }

  async keySet(url: string, kid: string): Promise<JWTVerifyGetKey> {
    return createLocalJWKSet(await this.keysFor(url, kid));
  }
}
