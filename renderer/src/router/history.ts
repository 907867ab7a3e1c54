// A tiny History API router for the admin GUI, which the server serves under /admin/.
// App paths ("/", "/clients", "/login?next=…") are relative to that base.

import { useSyncExternalStore } from 'react';

export const ADMIN_BASE = '/admin';

const NAVIGATE_EVENT = 'inpracsys:navigate';

export interface AppLocation {
  /** Path below /admin, always starting with "/". */
  path: string;
  params: URLSearchParams;
}

export function toHref(appPath: string): string {
  return `${ADMIN_BASE}${appPath}`;
}

export function navigate(appPath: string, options: { replace?: boolean } = {}): void {
  const href = toHref(appPath);
  if (options.replace === true) {
    window.history.replaceState(null, '', href);
  } else {
    window.history.pushState(null, '', href);
  }
  window.dispatchEvent(new Event(NAVIGATE_EVENT));
}

/** The current app path with its query string, e.g. "/clients?q=lab". */
export function currentAppPath(): string {
  const { pathname, search } = window.location;
  return `${stripBase(pathname)}${search}`;
}

export function useLocation(): AppLocation {
  const appPath = useSyncExternalStore(subscribe, currentAppPath);
  const url = new URL(appPath, window.location.origin);
  return { path: normalizePath(url.pathname), params: url.searchParams };
}

/**
 * Returns a safe place to go back to after logging in: an app path inside /admin/, never
 * another origin, never the login or setup pages. Anything else falls back to the dashboard.
 */
export function safeReturnPath(candidate: string | null, origin: string = window.location.origin): string {
  if (candidate === null || !candidate.startsWith('/') || candidate.startsWith('//') || candidate.includes('\\')) {
    return '/';
  }
  let url: URL;
  try {
    url = new URL(toHref(candidate), origin);
  } catch {
    return '/';
  }
  if (url.origin !== origin || !url.pathname.startsWith(`${ADMIN_BASE}/`)) {
    return '/';
  }
  const path = normalizePath(stripBase(url.pathname));
  if (path.startsWith('//') || path === '/login' || path === '/setup') {
    return '/';
  }
  return `${path}${url.search}`;
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(NAVIGATE_EVENT, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(NAVIGATE_EVENT, onChange);
  };
}

function stripBase(pathname: string): string {
  if (pathname === ADMIN_BASE) {
    return '/';
  }
  return pathname.startsWith(`${ADMIN_BASE}/`) ? pathname.slice(ADMIN_BASE.length) : pathname;
}

function normalizePath(path: string): string {
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}
