/**
 * Where the admin window may go. The window shows only the embedded server's own pages; any
 * other destination is refused, and only plain https links to other sites are handed to the
 * system browser.
 */

/** The server's own origins (normally one, e.g. `https://localhost:8443`). */
export type OwnOrigins = ReadonlySet<string>;

export function ownOriginsOf(urls: readonly (string | undefined)[]): OwnOrigins {
  const origins = new Set<string>();
  for (const url of urls) {
    const parsed = url === undefined ? undefined : parseUrl(url);
    if (parsed?.protocol === 'https:') {
      origins.add(parsed.origin);
    }
  }
  return origins;
}

/** Is the admin window allowed to load `target`? Only https on exactly our origin, no userinfo. */
export function isAllowedNavigation(target: string, ownOrigins: OwnOrigins): boolean {
  const url = parseUrl(target);
  return (
    url !== undefined &&
    url.protocol === 'https:' &&
    url.username === '' &&
    url.password === '' &&
    ownOrigins.has(url.origin)
  );
}

/**
 * The URL to open in the system browser for a link the page tried to open in a new window, or
 * undefined to open nothing. Only https and only other sites: our own pages stay in the app,
 * and other schemes (file:, javascript:, custom protocol handlers) could launch local programs.
 */
export function externalUrlToOpen(target: string, ownOrigins: OwnOrigins): string | undefined {
  const url = parseUrl(target);
  if (url === undefined || url.protocol !== 'https:' || ownOrigins.has(url.origin)) {
    return undefined;
  }
  return url.href;
}

function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}
