/**
 * Fixed-window counter per key (an IP address): at most `limit()` hits per hour. In memory, like
 * the login throttle: one server process, and a restart forgiving is acceptable.
 */
export class HourlyRateLimit {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly limit: () => number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts a hit; returns 0 when allowed, else the seconds until the window resets. */
  hit(key: string): number {
    const now = this.now();
    let window = this.windows.get(key);
    if (!window || now - window.start >= 3_600_000) {
      window = { start: now, count: 0 };
      this.windows.set(key, window);
    }
    if (window.count >= this.limit()) return Math.max(1, Math.ceil((window.start + 3_600_000 - now) / 1000));
    window.count += 1;
    return 0;
  }
}
