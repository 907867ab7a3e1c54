import type { RunningServer } from '../../server/src/server.js';
import { request, type HttpResult } from '../helpers/server.js';

/** A cookie-keeping HTTP "browser" for driving the login/consent pages without Chromium. */
export class FormBrowser {
  private readonly cookies = new Map<string, string>();

  constructor(private readonly server: RunningServer) {}

  private pathOf(url: string): string {
    const parsed = new URL(url, this.server.urls.origin);
    return parsed.pathname + parsed.search;
  }

  private remember(res: HttpResult): HttpResult {
    for (const line of ([] as string[]).concat(res.headers['set-cookie'] ?? [])) {
      const [pair] = line.split(';');
      const [name, ...rest] = pair!.split('=');
      const value = rest.join('=');
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name!.trim());
      else this.cookies.set(name!.trim(), value);
    }
    return res;
  }

  private cookieHeader(): Record<string, string> {
    return this.cookies.size ? { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {};
  }

  async get(url: string): Promise<HttpResult> {
    return this.remember(await request(this.server, this.pathOf(url), { headers: this.cookieHeader() }));
  }

  async post(url: string, form: Record<string, string | string[]>): Promise<HttpResult> {
    const body = new URLSearchParams();
    for (const [name, value] of Object.entries(form)) for (const v of ([] as string[]).concat(value)) body.append(name, v);
    return this.remember(
      await request(this.server, this.pathOf(url), { method: 'POST', body: body.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', ...this.cookieHeader() } }),
    );
  }

  /** Follows same-origin 303/302 redirects; stops at the first response that is not one, or leaves the server. */
  async follow(res: HttpResult): Promise<HttpResult> {
    let current = res;
    for (let i = 0; i < 10 && (current.status === 302 || current.status === 303); i++) {
      const location = String(current.headers.location);
      if (!location.startsWith('/') && !location.startsWith(this.server.urls.origin)) return current;
      current = await this.get(location);
    }
    return current;
  }
}

export function formAction(htmlText: string, suffix: string): string {
  const match = new RegExp(`action="([^"]*${suffix})"`).exec(htmlText);
  if (!match) throw new Error(`no form ending in ${suffix}`);
  return match[1]!.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
}

export function csrfOf(htmlText: string): string {
  const match = /name="csrf" value="([^"]+)"/.exec(htmlText);
  if (!match) throw new Error('no csrf field');
  return match[1]!;
}

export function checkboxValues(htmlText: string): string[] {
  return [...htmlText.matchAll(/type="checkbox" name="scope" value="([^"]+)"/g)].map((m) =>
    m[1]!.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code))),
  );
}
