import { describe, expect, it } from 'vitest';
import type { AppContext } from '../../context.js';
import { ScopeSet } from '../../smart/scopes.js';
import type { OAuthServices } from '../services.js';
import type { ClientRecord } from '../store/client-store.js';
import { checkAud } from './check-aud.js';
import { checkClient } from './check-client.js';
import { checkPkce } from './check-pkce.js';
import { checkRedirectUri } from './check-redirect-uri.js';
import { checkResponseType } from './check-response-type.js';
import { checkScope } from './check-scope.js';
import { AuthorizePageError, AuthorizeRedirectError, type AuthorizeState } from './types.js';

const client: ClientRecord = {
  clientId: 'c1',
  clientName: 'App',
  secretHash: null,
  tokenEndpointAuthMethod: 'client_secret_basic',
  metadata: { client_name: 'App', scope: 'openid patient/Observation.rs', token_endpoint_auth_method: 'client_secret_basic', grant_types: ['authorization_code'], redirect_uris: ['https://app.example/cb', 'http://127.0.0.1:7000/cb'], response_types: ['code'] },
  scope: 'openid patient/Observation.rs patient/Condition.read',
  profile: 'patient-standalone',
  enabled: true,
  createdAt: new Date(0),
};

function state(params: Record<string, string | undefined>, clients: Record<string, ClientRecord> = { c1: client }): AuthorizeState {
  const ctx = { urls: () => ({ origin: 'https://ehr.example', fhirBase: 'https://ehr.example/fhir/r4', issuer: 'https://ehr.example/oauth2', admin: '' }) } as unknown as AppContext;
  const services = { clients: { get: async (id: string) => clients[id] ?? null } } as unknown as OAuthServices;
  return { ctx, services, params, client };
}

async function outcome(check: (s: AuthorizeState) => unknown, s: AuthorizeState): Promise<string> {
  try {
    await check(s);
    return 'ok';
  } catch (error) {
    if (error instanceof AuthorizePageError) return 'page';
    if (error instanceof AuthorizeRedirectError) return error.error;
    throw error;
  }
}

describe('checkClient', () => {
  it.each([
    [{ client_id: 'c1' }, {}, 'ok'],
    [{}, {}, 'page'],
    [{ client_id: 'nope' }, {}, 'page'],
    [{ client_id: 'c1' }, { c1: { ...client, enabled: false } }, 'page'],
    [{ client_id: 'c1' }, { c1: { ...client, metadata: { ...client.metadata, grant_types: ['client_credentials'] } } }, 'page'],
  ] as [Record<string, string>, Record<string, ClientRecord>, string][])('%j → %s', async (params, override, expected) => {
    expect(await outcome(checkClient, state(params, { c1: client, ...override }))).toBe(expected);
  });
});

describe('checkRedirectUri', () => {
  it.each([
    ['https://app.example/cb', 'ok'],
    ['http://127.0.0.1:50123/cb', 'ok'],
    ['https://app.example/cb/', 'page'],
    ['https://app.example/Cb', 'page'],
    [undefined, 'page'],
  ])('%s → %s', async (uri, expected) => {
    expect(await outcome(checkRedirectUri, state({ redirect_uri: uri }))).toBe(expected);
  });
});

describe('checkResponseType', () => {
  it.each([
    [{ response_type: 'code' }, 'ok'],
    [{ response_type: 'token' }, 'unsupported_response_type'],
    [{ response_type: 'code id_token' }, 'unsupported_response_type'],
    [{}, 'unsupported_response_type'],
    [{ response_type: 'code', response_mode: 'fragment' }, 'invalid_request'],
    [{ response_type: 'code', request: 'eyJ' }, 'request_not_supported'],
  ])('%j → %s', async (params, expected) => {
    expect(await outcome(checkResponseType, state(params))).toBe(expected);
  });
});

describe('checkAud', () => {
  it.each([
    ['https://ehr.example/fhir/r4', 'ok'],
    ['https://ehr.example/fhir/r4/', 'invalid_request'],
    ['https://ehr.example/r4', 'invalid_request'],
    ['https://evil.example/fhir/r4', 'invalid_request'],
    [undefined, 'invalid_request'],
  ])('%s → %s', async (aud, expected) => {
    expect(await outcome(checkAud, state({ aud }))).toBe(expected);
  });
});

describe('checkPkce', () => {
  const challenge = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
  it.each([
    [{ code_challenge: challenge, code_challenge_method: 'S256' }, 'ok'],
    [{ code_challenge: challenge, code_challenge_method: 'plain' }, 'invalid_request'],
    [{ code_challenge: challenge }, 'invalid_request'],
    [{ code_challenge_method: 'S256' }, 'invalid_request'],
    [{ code_challenge: 'short', code_challenge_method: 'S256' }, 'invalid_request'],
  ])('%j → %s', async (params, expected) => {
    expect(await outcome(checkPkce, state(params))).toBe(expected);
  });
});

describe('checkScope', () => {
  it.each([
    ['openid patient/Observation.rs', 'ok'],
    ['patient/Observation.rs?category=laboratory', 'ok'],
    ['patient/Condition.rs', 'ok'],
    ['patient/Condition.r', 'ok'],
    ['patient/Observation.cruds', 'invalid_scope'],
    ['patient/*.read', 'invalid_scope'],
    ['openid offline_access', 'invalid_scope'],
    ['', 'invalid_scope'],
    [undefined, 'invalid_scope'],
  ])('%s → %s', async (scope, expected) => {
    const s = state({ scope });
    expect(await outcome(checkScope, s)).toBe(expected);
    if (expected === 'ok') expect(s.scopes).toBeInstanceOf(ScopeSet);
  });
});
