import { describe, expect, it } from 'vitest';
import { Random, randomFor, seedFromText } from './random.js';

const draw = (random: Random, count: number): number[] => Array.from({ length: count }, () => random.next());

describe('Random', () => {
  it('repeats the same sequence for the same seed', () => {
    expect(draw(new Random(42), 20)).toEqual(draw(new Random(42), 20));
  });

  it('gives different sequences for different seeds', () => {
    expect(draw(new Random(42), 5)).not.toEqual(draw(new Random(43), 5));
  });

  it('keeps integers within both bounds and reaches each of them', () => {
    const random = new Random(7);
    const seen = new Set(Array.from({ length: 500 }, () => random.int(3, 6)));
    expect([...seen].sort()).toEqual([3, 4, 5, 6]);
  });

  it('draws floats in [0, 1)', () => {
    for (const value of draw(new Random(1), 1000)) {
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThan(1);
    }
  });

  it('samples distinct items in list order', () => {
    const sample = new Random(9).sample(['a', 'b', 'c', 'd', 'e'], 3);
    expect(new Set(sample).size).toBe(3);
    expect([...sample].sort()).toEqual(sample);
  });

  it('turns seed text into a stable 32-bit seed and derives independent streams from it', () => {
    expect(seedFromText('1')).toBe(seedFromText('1'));
    expect(seedFromText('1')).not.toBe(seedFromText('2'));
    expect(draw(randomFor(1, 1), 3)).toEqual(draw(randomFor(1, 1), 3));
    expect(draw(randomFor(1, 1), 3)).not.toEqual(draw(randomFor(1, 2), 3));
  });
});
