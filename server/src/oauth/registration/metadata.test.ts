import { describe, expect, it } from 'vitest';
import type { OAuthError } from '../../http/errors.js';
import { classifyProfile, startsEnabled, validateClientMetadata } from './metadata.js';

const base = { client_name: 'App', redirect_uris: ['https://app.example/cb'] };

function errorOf(input: object): string | undefined {
  try {
    validateClientMetadata({ ...base, ...input });
    return undefined;
  } catch (error) {
    return (error as OAuthError).error;
  }
}

describe('validateClientMetadata', () => {
  it('defaults to client_secret_basic and the code grant, adding refresh_token for offline_access', () => {
    const { metadata } = validateClientMetadata({ ...base, scope: 'openid offline_access patient/Observation.rs' });
    expect(metadata).toMatchObject({ token_endpoint_auth_method: 'client_secret_basic', grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'] });
  });

  it('takes launch_uri as initiate_login_uri', () => {
    const { metadata } = validateClientMetadata({ ...base, scope: 'openid launch user/Patient.rs', launch_uri: 'https://app.example/launch' });
    expect(metadata.initiate_login_uri).toBe('https://app.example/launch');
  });

  it.each([
    [{ scope: 'patient/*.read' }, 'invalid_client_metadata'],
    [{ scope: 'openid patient/Observation.rs', token_endpoint_auth_method: 'client_secret_jwt' }, 'invalid_client_metadata'],
    [{ scope: 'openid patient/Observation.rs', jwks_uri: 'http://keys.example/jwks' }, 'invalid_client_metadata'],
    [{ scope: 'openid patient/Observation.rs', token_endpoint_auth_method: 'private_key_jwt' }, 'invalid_client_metadata'],
    [{ scope: 'openid patient/Observation.rs', grant_types: ['refresh_token'] }, 'invalid_client_metadata'],
    [{ scope: 'openid patient/Observation.rs', redirect_uris: ['http://app.example/cb'] }, 'invalid_redirect_uri'],
    [{ scope: 'system/Observation.rs', token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [{ kty: 'EC', kid: 'k', d: 'secret' }] } }, 'invalid_client_metadata'],
  ])('%j → %s', (input, error) => {
    expect(errorOf(input)).toBe(error);
  });
});

describe('profiles and the auto-enable rule', () => {
  it.each([
    ['openid fhirUser offline_access launch/patient patient/Observation.rs', 'client_secret_basic', 'patient-standalone', true],
    ['openid patient/Observation.rs', 'none', 'patient-standalone', false],
    ['openid profile patient/Observation.rs', 'client_secret_basic', 'patient-standalone', false],
    ['openid user/Patient.rs', 'client_secret_basic', 'provider', false],
    ['openid launch user/Patient.rs', 'client_secret_basic', 'ehr-launch', false],
  ])('%s with %s: %s, enabled %s', (scope, method, profile, enabled) => {
    const { metadata, scopes } = validateClientMetadata({ ...base, scope, token_endpoint_auth_method: method, initiate_login_uri: 'https://app.example/launch' });
    expect(classifyProfile(scopes)).toBe(profile);
    expect(startsEnabled(metadata, scopes)).toBe(enabled);
  });
});
