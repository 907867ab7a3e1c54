import { createHash, X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createLocalCa } from './ca.js';
import { electronFingerprint, fingerprint256 } from './fingerprint.js';

let pem: string;
let der: Buffer;

beforeAll(async () => {
  pem = (await createLocalCa('test-host', new Date())).certificate.pem;
  der = Buffer.from(pem.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64');
});

describe('fingerprint256', () => {
  it('is colon-separated upper-case hex of 32 bytes', () => {
    expect(fingerprint256(pem)).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  });

  it("equals Node's X509Certificate.fingerprint256", () => {
    expect(fingerprint256(pem)).toBe(new X509Certificate(pem).fingerprint256);
  });

  it('gives the same answer for the DER form', () => {
    expect(fingerprint256(der)).toBe(fingerprint256(pem));
  });

  it('throws on something that is not a certificate', () => {
    expect(() => fingerprint256('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n')).toThrow();
  });
});

describe('electronFingerprint', () => {
  it('is "sha256/" and the base64 SHA-256 of the DER', () => {
    const expected = `sha256/${createHash('sha256').update(der).digest('base64')}`;
    expect(electronFingerprint(pem)).toBe(expected);
  });

  it('carries the same digest as fingerprint256', () => {
    const hex = fingerprint256(pem).replaceAll(':', '');
    expect(electronFingerprint(pem)).toBe(`sha256/${Buffer.from(hex, 'hex').toString('base64')}`);
  });
});
