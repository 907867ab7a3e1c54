import { describe, expect, it } from 'vitest';
import { externalUrlToOpen, isAllowedNavigation, ownOriginsOf } from './navigation.js';

const own = ownOriginsOf(['https://localhost:8443', 'https://localhost:8443/admin/']);

describe('ownOriginsOf', () => {
  it('collects the distinct https origins and ignores missing, non-https and unparseable URLs', () => {
    const origins = ownOriginsOf([
      'https://ehr.example.org:8443/admin/',
      'https://localhost:8443/admin/setup?token=x',
      'https://localhost:8443/',
      undefined,
      'http://localhost:8080/',
      'not a url',
    ]);
    expect([...origins].sort()).toEqual(['https://ehr.example.org:8443', 'https://localhost:8443']);
  });
});

describe('isAllowedNavigation', () => {
  const table: [string, string, boolean][] = [
    ['own admin page', 'https://localhost:8443/admin/', true],
    ['own OAuth page with query and fragment', 'https://localhost:8443/oauth2/authorize?x=1#y', true],
    ['host name in capitals (canonicalised)', 'https://LOCALHOST:8443/admin/', true],
    ['path traversal stays on our origin', 'https://localhost:8443/../../etc/passwd', true],
    ['encoded path traversal stays on our origin', 'https://localhost:8443/%2e%2e/%2e%2e/x', true],
    ['backslash ends the authority, so still our origin', 'https://localhost:8443\\@evil.com/', true],
    ['foreign host', 'https://evil.com/', false],
    ['foreign host on our port', 'https://evil.com:8443/admin/', false],
    ['our host as a subdomain of a foreign one', 'https://localhost.evil.com:8443/', false],
    ['same host, other port', 'https://localhost:9443/admin/', false],
    ['same host, default port', 'https://localhost/admin/', false],
    ['same host over http', 'http://localhost:8443/admin/', false],
    ['other loopback name for the same machine', 'https://127.0.0.1:8443/admin/', false],
    ['trailing-dot host', 'https://localhost.:8443/admin/', false],
    ['userinfo trick: real host is evil.com', 'https://localhost:8443@evil.com/', false],
    ['encoded-colon userinfo trick', 'https://localhost%3A8443@evil.com/', false],
    ['user and password on our own origin', 'https://user:pw@localhost:8443/admin/', false],
    ['user name on our own origin', 'https://admin@localhost:8443/admin/', false],
    ['empty password on our own origin', 'https://:x@localhost:8443/admin/', false],
    ['our origin only in the fragment', 'https://evil.com/#https://localhost:8443/', false],
    ['our origin only in the query', 'https://evil.com/?next=https://localhost:8443/', false],
    ['scheme-relative URL (no base)', '//evil.com/', false],
    ['scheme without slashes', 'https:evil.com', false],
    ['javascript: URL', 'javascript:alert(1)', false],
    ['javascript: URL mentioning our origin', 'javascript://localhost:8443/%0aalert(1)', false],
    ['file: URL', 'file:///etc/passwd', false],
    ['data: URL', 'data:text/html,<script>alert(1)</script>', false],
    ['blob: URL of our own origin', 'blob:https://localhost:8443/0b0c-uuid', false],
    ['about:blank', 'about:blank', false],
    ['chrome: internal page', 'chrome://settings', false],
    ['custom protocol', 'ms-settings:privacy', false],
    ['unparseable URL', 'https://localhost:8443.evil.com/', false],
    ['empty string', '', false],
    ['plain text', 'not a url', false],
  ];

  it.each(table)('%s: %s → %s', (_name, url, allowed) => {
    expect(isAllowedNavigation(url, own)).toBe(allowed);
  });

  it('allows nothing when the server has no origin yet', () => {
    expect(isAllowedNavigation('https://localhost:8443/admin/', new Set())).toBe(false);
  });
});

describe('externalUrlToOpen', () => {
  const table: [string, string, string | undefined][] = [
    ['https link to another site', 'https://hl7.org/fhir/R4/', 'https://hl7.org/fhir/R4/'],
    ['canonicalised before it is handed on', 'https://HL7.org/a/../fhir', 'https://hl7.org/fhir'],
    ['our own origin stays in the app', 'https://localhost:8443/admin/', undefined],
    ['http link', 'http://example.com/', undefined],
    ['file: URL', 'file:///C:/Windows/System32/calc.exe', undefined],
    ['javascript: URL', 'javascript:alert(1)', undefined],
    ['custom protocol', 'ms-msdt:/id', undefined],
    ['mailto:', 'mailto:someone@example.com', undefined],
    ['unparseable URL', 'https://', undefined],
  ];

  it.each(table)('%s: %s → %s', (_name, url, opened) => {
    expect(externalUrlToOpen(url, own)).toBe(opened);
  });
});
