import { describe, expect, test } from 'vitest';
import { LoginThrottle } from './login-throttle.js';

function throttleAt(start = 1_000_000) {
  const clock = { now: start };
  const throttle = new LoginThrottle({ maxFailures: 3, lockMs: 60_000, now: () => clock.now });
  return { clock, throttle };
}

describe('LoginThrottle', () => {
  test('locks a key after the maximum failures in a row, and only that key', () => {
    const { throttle } = throttleAt();
    throttle.fail(['alice']);
    throttle.fail(['alice']);
    expect(throttle.retryAfter(['alice'])).toBe(0);
    throttle.fail(['alice']);
    expect(throttle.retryAfter(['alice'])).toBe(60);
    expect(throttle.retryAfter(['bob'])).toBe(0);
    expect(throttle.retryAfter(['bob', 'alice'])).toBe(60);
  });

  test('unlocks when the lock time has passed, and counts afresh', () => {
    const { clock, throttle } = throttleAt();
    for (let i = 0; i < 3; i++) throttle.fail(['alice']);
    clock.now += 59_500;
    expect(throttle.retryAfter(['alice'])).toBe(1);
    clock.now += 501;
    expect(throttle.retryAfter(['alice'])).toBe(0);
    throttle.fail(['alice']);
    expect(throttle.retryAfter(['alice'])).toBe(0);
  });

  test('a success clears the count', () => {
    const { throttle } = throttleAt();
    throttle.fail(['alice']);
    throttle.fail(['alice']);
    throttle.succeed(['alice']);
    throttle.fail(['alice']);
    throttle.fail(['alice']);
    expect(throttle.retryAfter(['alice'])).toBe(0);
  });
});
