import { describe, expect, it } from 'vitest';
import { safeReturnPath } from './history';

const origin = 'https://ehr.example.test:8443';

describe('safeReturnPath', () => {
  it.each([
    ['/clients', '/clients'],
    ['/clients?q=lab&status=disabled', '/clients?q=lab&status=disabled'],
    ['/token-tools/', '/token-tools'],
    ['/', '/'],
  ])('keeps the admin page %s', (candidate, expected) => {
    expect(safeReturnPath(candidate, origin)).toBe(expected);
  });

  it.each([
    ['no return address', null],
    ['an empty string', ''],
    ['a relative path', 'clients'],
    ['a protocol-relative URL', '//evil.example/admin/'],
    ['a backslash host', '/\\evil.example'],
    ['an absolute URL', 'https://evil.example/admin/'],
    ['a javascript: URL', 'javascript:alert(1)'],
    ['a path that climbs out of /admin', '/../ca.crt'],
    ['an encoded climb out of /admin', '/%2e%2e/oauth2/authorize'],
    ['a tab that hides a double slash', '/\t/evil.example'],
    ['the log-in page itself', '/login?next=/clients'],
    ['the setup page', '/setup?token=abc'],
  ])('refuses %s and goes to the dashboard', (_what, candidate) => {
    expect(safeReturnPath(candidate, origin)).toBe('/');
  });
});
