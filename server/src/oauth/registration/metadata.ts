import { z } from 'zod';
import { ScopeSet } from '../../smart/scopes.js';
import { InvalidClientMetadata, InvalidRedirectUri } from '../errors.js';
import { isAllowedRedirectUri } from './redirect-uri-rules.js';

/** RFC 7591 client metadata as this server stores and echoes it. */
export const authMethods = ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'] as const;
export const grantTypes = ['authorization_code', 'refresh_token', 'client_credentials'] as const;

const httpsUrl = z.url({ protocol: /^https$/ });

const jwk = z.looseObject({ kty: z.string(), kid: z.string().min(1) });

export const clientMetadataSchema = z.object({
  client_name: z.string().trim().min(1).max(200),
  redirect_uris: z.array(z.string().max(2000)).max(20).optional(),
  token_endpoint_auth_method: z.enum(authMethods).default('client_secret_basic'),
  grant_types: z.array(z.enum(grantTypes)).min(1).optional(),
  response_types: z.array(z.literal('code')).optional(),
  scope: z.string().trim().min(1).max(4000),
  jwks: z.object({ keys: z.array(jwk).min(1).max(20) }).optional(),
  jwks_uri: httpsUrl.optional(),
  initiate_login_uri: httpsUrl.optional(),
  launch_uri: httpsUrl.optional(),
  client_uri: httpsUrl.optional(),
  logo_uri: httpsUrl.optional(),
  tos_uri: httpsUrl.optional(),
  policy_uri: httpsUrl.optional(),
  contacts: z.array(z.string().max(300)).max(10).optional(),
  software_id: z.string().max(200).optional(),
  software_version: z.string().max(100).optional(),
});

export type ClientMetadata = Omit<z.infer<typeof clientMetadataSchema>, 'grant_types' | 'redirect_uris' | 'response_types'> & {
  grant_types: (typeof grantTypes)[number][];
  redirect_uris: string[];
  response_types: ['code'] | [];
};

export type ClientProfile = 'patient-standalone' | 'provider' | 'ehr-launch' | 'backend-service';

/** Scopes a confidential patient-standalone app may hold and still be enabled at registration (DESIGN §5). */
const autoEnableSpecial = new Set(['openid', 'fhirUser', 'offline_access', 'launch/patient']);

export function classifyProfile(scopes: ScopeSet): ClientProfile {
  if (scopes.hasContext('system')) return 'backend-service';
  if (scopes.has('launch')) return 'ehr-launch';
  if (scopes.hasContext('user')) return 'provider';
  return 'patient-standalone';
}

/** DESIGN §5: only confidential patient-standalone apps start enabled. */
export function startsEnabled(metadata: ClientMetadata, scopes: ScopeSet): boolean {
  if (metadata.token_endpoint_auth_method === 'none') return false;
  if (metadata.grant_types.includes('client_credentials')) return false;
  return scopes.scopes.every((scope) => (scope.kind === 'special' ? autoEnableSpecial.has(scope.name) : scope.kind === 'resource' && scope.context === 'patient'));
}

/**
 * Validates a registration request (RFC 7591 plus DESIGN §5) and returns the normalised
 * metadata; throws invalid_client_metadata / invalid_redirect_uri.
 */
export function validateClientMetadata(input: unknown): { metadata: ClientMetadata; scopes: ScopeSet } {
  const parsed = clientMetadataSchema.safeParse(input ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InvalidClientMetadata(`${issue?.path.join('.') || 'metadata'}: ${issue?.message ?? 'invalid'}`);
  }
  const raw = parsed.data;
  const { set: scopes, invalid } = ScopeSet.tryParse(raw.scope);
  if (invalid.length > 0) throw new InvalidClientMetadata(invalid.map((error) => error.message).join('; '));

  const method = raw.token_endpoint_auth_method;
  const isPublic = method === 'none';
  const defaultGrants: ClientMetadata['grant_types'] = scopes.hasContext('system')
    ? ['client_credentials']
    : scopes.has('offline_access')
      ? ['authorization_code', 'refresh_token']
      : ['authorization_code'];
  const grants = [...new Set(raw.grant_types ?? defaultGrants)];
  const usesCode = grants.includes('authorization_code');
  const redirectUris = raw.redirect_uris ?? [];

  if (grants.includes('refresh_token') && !usesCode) throw new InvalidClientMetadata('refresh_token needs the authorization_code grant');
  if (grants.includes('client_credentials')) {
    if (method !== 'private_key_jwt') throw new InvalidClientMetadata('client_credentials needs token_endpoint_auth_method private_key_jwt');
  }
  if (scopes.hasContext('system') && !grants.includes('client_credentials')) {
    throw new InvalidClientMetadata('system/ scopes are only for the client_credentials grant');
  }
  if (grants.includes('client_credentials') && (scopes.hasContext('patient') || scopes.hasContext('user'))) {
    throw new InvalidClientMetadata('backend-service clients may only ask for system/ scopes');
  }
  if (isPublic && (scopes.hasContext('user') || scopes.hasContext('system'))) {
    throw new InvalidClientMetadata('public clients may not ask for user/ or system/ scopes');
  }
  if (method === 'private_key_jwt' && !raw.jwks && !raw.jwks_uri) throw new InvalidClientMetadata('private_key_jwt needs jwks or jwks_uri');
  if (raw.jwks && raw.jwks_uri) throw new InvalidClientMetadata('give jwks or jwks_uri, not both');
  // A published key set never carries private parts; one that does was leaked by mistake.
  if (raw.jwks?.keys.some((key) => ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'].some((part) => part in key))) {
    throw new InvalidClientMetadata('jwks must hold public keys only');
  }
  if (usesCode) {
    if (redirectUris.length === 0) throw new InvalidRedirectUri('redirect_uris is required for the authorization_code grant');
    for (const uri of redirectUris) {
      if (!isAllowedRedirectUri(uri)) throw new InvalidRedirectUri(`redirect URI not allowed: ${uri}`);
    }
  }
  const initiateLoginUri = raw.initiate_login_uri ?? raw.launch_uri;
  if (scopes.has('launch') && !initiateLoginUri) throw new InvalidClientMetadata('EHR launch clients must register initiate_login_uri');

  const metadata: ClientMetadata = {
    ...raw,
    token_endpoint_auth_method: method,
    grant_types: grants,
    redirect_uris: redirectUris,
    response_types: usesCode ? ['code'] : [],
    scope: scopes.toString(),
    ...(initiateLoginUri ? { initiate_login_uri: initiateLoginUri } : {}),
  };
  return { metadata, scopes };
}
