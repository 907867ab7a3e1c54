// The one place that talks to the admin API. The CSRF token lives in memory only: it comes
// from the session response and is lost on reload, when GET /admin/api/session returns it again.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** Seconds from a 429 answer's Retry-After header, when present. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

let csrfToken: string | undefined;

export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

interface RequestOptions {
  body?: unknown;
  signal?: AbortSignal;
}

const fallbackMessages: Record<number, string> = {
  400: 'The server could not accept that request.',
  401: 'Your session has ended. Please log in again.',
  403: 'You are not allowed to do that.',
  404: 'Not found.',
  409: 'That conflicts with the current state of the server.',
  429: 'Too many attempts. Please wait and try again.',
};

export async function apiRequest<T>(method: Method, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  if (method !== 'GET' && csrfToken !== undefined) {
    headers['X-CSRF-Token'] = csrfToken;
  }

  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      credentials: 'same-origin',
      cache: 'no-store',
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') {
      throw error;
    }
    throw new ApiError(0, 'Cannot reach the server. Check that it is running and try again.');
  }

  const payload = await readJson(response);
  if (!response.ok) {
    throw new ApiError(response.status, errorMessage(response.status, payload), retryAfter(response));
  }
  return payload as T;
}

export const api = {
  get: <T>(path: string, signal?: AbortSignal) => apiRequest<T>('GET', path, { signal }),
  post: <T>(path: string, body: unknown) => apiRequest<T>('POST', path, { body }),
  put: <T>(path: string, body: unknown) => apiRequest<T>('PUT', path, { body }),
  delete: <T>(path: string) => apiRequest<T>('DELETE', path),
};

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') {
    return undefined;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function errorMessage(status: number, payload: unknown): string {
  if (typeof payload === 'object' && payload !== null && 'error' in payload) {
    const { error } = payload;
    if (typeof error === 'string' && error.trim() !== '') {
      return asSentence(error.trim());
    }
  }
  return fallbackMessages[status] ?? `The server answered with an error (HTTP ${status}).`;
}

/** The server writes terse messages ("wrong username or password"); show them as sentences. */
function asSentence(message: string): string {
  const capitalised = message.charAt(0).toUpperCase() + message.slice(1);
  return /[.!?]$/.test(capitalised) ? capitalised : `${capitalised}.`;
}

function retryAfter(response: Response): number | undefined {
  const header = response.headers.get('Retry-After');
  if (header === null) {
    return undefined;
  }
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) {
    return Math.ceil(seconds);
  }
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

/**
 * Sends a file as the raw request body (a FHIR package in FHIR Setup) and answers like
 * apiRequest. The file goes to the server only; nothing is kept in the browser.
 */
export async function apiUpload<T>(path: string, file: Blob, contentType: string): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', 'Content-Type': contentType };
  if (csrfToken !== undefined) {
    headers['X-CSRF-Token'] = csrfToken;
  }
  let response: Response;
  try {
    response = await fetch(path, { method: 'POST', headers, body: file, credentials: 'same-origin', cache: 'no-store' });
  } catch {
    throw new ApiError(0, 'Cannot reach the server. Check that it is running and try again.');
  }
  const payload = await readJson(response);
  if (!response.ok) {
    throw new ApiError(response.status, errorMessage(response.status, payload), retryAfter(response));
  }
  return payload as T;
}
