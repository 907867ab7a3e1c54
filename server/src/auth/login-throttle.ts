export interface ThrottleOptions {
  maxFailures: number;
  lockMs: number;
  now?: () => number;
}

interface Counter {
  failures: number;
  lockedUntil: number;
}

/**
 * Counts failed logins per key (a username, an IP address). After `maxFailures` in a row the key
 * is locked for `lockMs`; a success clears it. In memory: a restart forgives, which is acceptable
 * for one practice's workstation and keeps the login path free of writes.
 */
export class LoginThrottle {
  private readonly counters = new Map<string, Counter>();
  private readonly now: () => number;

  constructor(private readonly options: ThrottleOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Seconds until the first of these keys unlocks, or 0 when none is locked. */
  retryAfter(keys: string[]): number {
    const now = this.now();
    const waits = keys.map((key) => (this.counters.get(key)?.lockedUntil ?? 0) - now);
    return Math.max(0, Math.ceil(Math.max(...waits) / 1000));
  }

  fail(keys: string[]): void {
    const now = this.now();
    for (const key of keys) {
      const counter = this.counters.get(key) ?? { failures: 0, lockedUntil: 0 };
      if (counter.lockedUntil <= now && counter.failures >= this.options.maxFailures) counter.failures = 0;
      counter.failures += 1;
      if (counter.failures >= this.options.maxFailures) counter.lockedUntil = now + this.options.lockMs;
      this.counters.set(key, counter);
    }
  }

  succeed(keys: string[]): void {
    for (const key of keys) this.counters.delete(key);
  }
}
