/**
 * A small in-process cache of bearer-token checks (jti → outcome), so the FHIR API does not
 * hit four tables on every request. Every revocation or client/patient state change clears it
 * whole, so those take effect on the very next request; the short TTL bounds how long a change
 * made by another process (the CLI) can go unseen.
 */
export class AccessCache<T> {
  private readonly entries = new Map<string, { value: T; until: number }>();

  constructor(
    private readonly ttlMs = 30_000,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string): T | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.until <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key: string, value: T): void {
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(key, { value, until: this.now() + this.ttlMs });
  }

  clear(): void {
    this.entries.clear();
  }
}
