import * as oidc from 'openid-client';
import { expect } from 'vitest';
import type { RunningServer } from '../../server/src/server.js';
import type { HttpResult } from '../helpers/server.js';
import { checkboxValues, csrfOf, FormBrowser, formAction } from './browser.js';

export interface AuthorizeOptions {
  config: oidc.Configuration;
  redirectUri: string;
  scope: string;
  extra?: Record<string, string>;
}

export interface Started {
  browser: FormBrowser;
  verifier: string;
  state: string;
  nonce: string;
  /** The first response after /authorize (redirect to the interaction, an error page or an error redirect). */
  response: HttpResult;
}

export async function startAuthorization(server: RunningServer, options: AuthorizeOptions, browser = new FormBrowser(server)): Promise<Started> {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(options.config, {
    redirect_uri: options.redirectUri,
    scope: options.scope,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    aud: server.urls.fhirBase,
    ...options.extra,
  });
  const response = await browser.get(url.toString());
  return { browser, verifier, state, nonce, response };
}

/** Logs in on the login page (when shown) and returns the next page. */
export async function login(browser: FormBrowser, page: HttpResult, username: string, password: string): Promise<HttpResult> {
  expect(page.status).toBe(200);
  expect(page.body).toContain('<label for="username">Username</label>');
  return browser.follow(await browser.post(formAction(page.body, '/login'), { csrf: csrfOf(page.body), username, password }));
}

/** Answers the consent page; `untick` removes scopes. Returns the redirect to the app. */
export async function consent(browser: FormBrowser, page: HttpResult, decision: 'allow' | 'deny', untick: string[] = []): Promise<URL> {
  expect(page.status).toBe(200);
  const scopes = checkboxValues(page.body).filter((scope) => !untick.includes(scope));
  const res = await browser.post(formAction(page.body, '/consent'), { csrf: csrfOf(page.body), decision, scope: scopes });
  expect(res.status).toBe(303);
  return new URL(String(res.headers.location));
}

/** The whole patient or staff flow up to the redirect carrying the code. */
export async function authorizeWithLogin(server: RunningServer, options: AuthorizeOptions, username: string, password: string, untick: string[] = []) {
  const started = await startAuthorization(server, options);
  const loginPage = await started.browser.follow(started.response);
  const consentPage = await login(started.browser, loginPage, username, password);
  const callback = await consent(started.browser, consentPage, 'allow', untick);
  return { ...started, callback };
}

export function redirectError(res: HttpResult): URLSearchParams {
  expect(res.status).toBe(303);
  return new URL(String(res.headers.location)).searchParams;
}
