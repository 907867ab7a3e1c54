import { describe, expect, it } from 'vitest';
import { HourlyRateLimit } from './rate-limit.js';

describe('HourlyRateLimit', () => {
  it('allows the limit, refuses the next with the seconds left, and resets after an hour', () => {
    let now = 1_000_000;
    const limit = new HourlyRateLimit(() => 2, () => now);
    expect(limit.hit('a')).toBe(0);
    expect(limit.hit('a')).toBe(0);
    expect(limit.hit('b')).toBe(0);
    now += 600_000;
    expect(limit.hit('a')).toBe(3000);
    now += 3_000_000;
    expect(limit.hit('a')).toBe(0);
  });
});
