/** Loopback hosts for native apps (RFC 8252 §7.3): any port is accepted at /authorize. */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === '127.0.0.1' || hostname === '[::1]' || hostname === 'localhost';
}

function parse(uri: string): URL | null {
  try {
    return new URL(uri);
  } catch {
    return null;
  }
}

/**
 * Which redirect URIs a client may register: https, http on a loopback host, or a private-use
 * scheme in reverse-domain form (RFC 8252 §7.1, `com.example.app:/cb`). Never a fragment,
 * never credentials, never javascript:/data:-like schemes.
 */
export function isAllowedRedirectUri(uri: string): boolean {
  const url = parse(uri);
  if (!url || url.hash || uri.includes('#') || url.username || url.password) return false;
  if (url.protocol === 'https:') return url.hostname.length > 0;
  if (url.protocol === 'http:') return isLoopbackHost(url.hostname);
  const scheme = url.protocol.slice(0, -1);
  return /^[a-z][a-z0-9+-]*(\.[a-z0-9+-]+)+$/.test(scheme);
}

/**
 * Exact match, except the port of an http loopback redirect (RFC 8252 §7.3). The comparison is
 * on the strings, so a trailing slash or a change of case is a different URI.
 */
export function redirectUriMatches(registered: string, requested: string): boolean {
  if (registered === requested) return true;
  const a = parse(registered);
  const b = parse(requested);
  if (!a || !b || a.protocol !== 'http:' || b.protocol !== 'http:' || !isLoopbackHost(a.hostname)) return false;
  a.port = '';
  b.port = '';
  // Compare everything but the port, still as exact strings (URL normalises only the port away here).
  return registered.replace(/^http:\/\/[^/]+/, '') === requested.replace(/^http:\/\/[^/]+/, '') && a.host === b.host;
}
