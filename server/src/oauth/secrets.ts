import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A fresh high-entropy value for codes, refresh tokens, launch values, client secrets. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/**
 * Codes, refresh tokens, launch values and client secrets are 256-bit random values, so a
 * SHA-256 digest is enough to keep them useless if the database leaks (no dictionary to try,
 * unlike passwords, which use scrypt) and keeps lookups by hash possible.
 */
export function tokenHash(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

export function sameHash(value: string, storedHash: string): boolean {
  const a = Buffer.from(tokenHash(value), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
