import { describe, expect, it } from 'vitest';
import {
  CERT_ACCEPT,
  CERT_REJECT,
  CERT_USE_CHROMIUM_RESULT,
  createCertificateErrorListener,
  createCertificateVerifyProc,
  type CertificatePin,
} from './certificate-pin.js';
import { FakeEvent } from './test-support/fake-electron.js';

const OURS = 'sha256/4x/KdLUpgXuIZSZ3eQJEJj2o+7k93uqObHxp2XPbZHY=';
const OTHER = 'sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';
const pin: CertificatePin = { hosts: ['localhost', '[::1]', 'ehr.example.org'], fingerprint: OURS };

function verify(hostname: string, fingerprint: string): number | undefined {
  let result: number | undefined;
  createCertificateVerifyProc(pin)({ hostname, certificate: { fingerprint } }, (value) => (result = value));
  return result;
}

describe('certificate verify proc', () => {
  it('uses the Chromium result codes Electron documents', () => {
    expect([CERT_ACCEPT, CERT_REJECT, CERT_USE_CHROMIUM_RESULT]).toEqual([0, -2, -3]);
  });

  const table: [string, string, string, number][] = [
    ['our leaf on our host', 'localhost', OURS, CERT_ACCEPT],
    ['our leaf on our host, in capitals', 'LOCALHOST', OURS, CERT_ACCEPT],
    ['our leaf on the site address host', 'ehr.example.org', OURS, CERT_ACCEPT],
    ['our leaf on IPv6 loopback without brackets', '::1', OURS, CERT_ACCEPT],
    ['our leaf on IPv6 loopback with brackets', '[::1]', OURS, CERT_ACCEPT],
    ['another certificate on our host', 'localhost', OTHER, CERT_REJECT],
    ['another certificate on the site address host', 'ehr.example.org', OTHER, CERT_REJECT],
    ['our hash without the sha256/ prefix', 'localhost', '4x/KdLUpgXuIZSZ3eQJEJj2o+7k93uqObHxp2XPbZHY=', CERT_REJECT],
    ['empty fingerprint on our host', 'localhost', '', CERT_REJECT],
    ['a foreign host with another certificate', 'hl7.org', OTHER, CERT_USE_CHROMIUM_RESULT],
    ['a foreign host presenting our leaf', 'evil.com', OURS, CERT_USE_CHROMIUM_RESULT],
    ['a look-alike host', 'localhost.evil.com', OURS, CERT_USE_CHROMIUM_RESULT],
    ['another loopback name not in the pin', '127.0.0.1', OURS, CERT_USE_CHROMIUM_RESULT],
  ];

  it.each(table)('%s (%s) → %i', (_name, hostname, fingerprint, expected) => {
    expect(verify(hostname, fingerprint)).toBe(expected);
  });
});

describe('certificate-error listener', () => {
  function certificateError(
    currentPin: CertificatePin | undefined,
    url: string,
    fingerprint: string,
  ): { trusted: boolean | undefined; prevented: boolean } {
    const event = new FakeEvent();
    let trusted: boolean | undefined;
    createCertificateErrorListener(() => currentPin)(
      event,
      {},
      url,
      'net::ERR_CERT_AUTHORITY_INVALID',
      { fingerprint },
      (value) => (trusted = value),
    );
    return { trusted, prevented: event.defaultPrevented };
  }

  it('trusts our leaf on our host, and prevents the default rejection', () => {
    expect(certificateError(pin, 'https://localhost:8443/admin/', OURS)).toEqual({ trusted: true, prevented: true });
  });

  it.each([
    ['another certificate on our host', 'https://localhost:8443/admin/', OTHER],
    ['our leaf on a foreign host', 'https://evil.com/', OURS],
    ['our leaf behind a userinfo trick', 'https://localhost:8443@evil.com/', OURS],
    ['an unparseable URL', 'https://localhost:8443.evil.com/', OURS],
    ['a non-https URL', 'wss://localhost:8443/', OURS],
  ])('refuses %s', (_name, url, fingerprint) => {
    expect(certificateError(pin, url, fingerprint)).toEqual({ trusted: false, prevented: false });
  });

  it('refuses everything before the server (and so the pin) exists', () => {
    expect(certificateError(undefined, 'https://localhost:8443/admin/', OURS)).toEqual({
      trusted: false,
      prevented: false,
    });
  });
});
