import type { RequestHandler } from 'express';
import type { AppContext } from '../context.js';

const grantTypesSupported = ['authorization_code', 'refresh_token', 'client_credentials'];
const authMethodsSupported = ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'];
const assertionAlgs = ['RS384', 'ES384'];

/** US Core resource types offered as examples in scopes_supported (the list is advisory, never wildcards). */
const exampleTypes = [
  'AllergyIntolerance', 'CarePlan', 'CareTeam', 'Condition', 'Coverage', 'Device', 'DiagnosticReport', 'DocumentReference',
  'Encounter', 'Goal', 'Immunization', 'Location', 'Medication', 'MedicationDispense', 'MedicationRequest', 'Observation',
  'Organization', 'Patient', 'Practitioner', 'PractitionerRole', 'Procedure', 'Provenance', 'QuestionnaireResponse',
  'RelatedPerson', 'ServiceRequest', 'Specimen',
];

export function scopesSupported(): string[] {
  return [
    'openid', 'fhirUser', 'profile', 'launch', 'launch/patient', 'launch/encounter', 'offline_access', 'online_access',
    ...exampleTypes.flatMap((type) => [`patient/${type}.rs`, `user/${type}.rs`, `system/${type}.rs`]),
    'system/*.$export', 'system/Patient.$export', 'system/Group.$export', 'system/*.$bulkdata-status', 'system/Document.read', 'system/Binary.read',
  ];
}

export function endpoints(ctx: AppContext) {
  const { issuer } = ctx.urls();
  return {
    issuer,
    jwks_uri: `${issuer}/jwks`,
    authorization_endpoint: `${issuer}/authorize`,
    token_endpoint: `${issuer}/token`,
    registration_endpoint: `${issuer}/register`,
    introspection_endpoint: `${issuer}/introspect`,
    revocation_endpoint: `${issuer}/revoke`,
    userinfo_endpoint: `${issuer}/userinfo`,
    end_session_endpoint: `${issuer}/logout`,
    management_endpoint: `${issuer}/manage`,
  };
}

/** SMART App Launch 2.2 §2.3: `.well-known/smart-configuration` at the FHIR base (and the site root). */
export function smartConfiguration(ctx: AppContext): RequestHandler {
  return (_req, res) => {
    const all = endpoints(ctx);
    res.set('Cache-Control', 'public, max-age=300').json({
      issuer: all.issuer,
      jwks_uri: all.jwks_uri,
      authorization_endpoint: all.authorization_endpoint,
      token_endpoint: all.token_endpoint,
      registration_endpoint: all.registration_endpoint,
      introspection_endpoint: all.introspection_endpoint,
      revocation_endpoint: all.revocation_endpoint,
      management_endpoint: all.management_endpoint,
      userinfo_endpoint: all.userinfo_endpoint,
      grant_types_supported: grantTypesSupported,
      token_endpoint_auth_methods_supported: authMethodsSupported,
      token_endpoint_auth_signing_alg_values_supported: assertionAlgs,
      scopes_supported: scopesSupported(),
      response_types_supported: ['code'],
      code_challenge_methods_supported: ['S256'],
      capabilities: [
        'launch-ehr', 'launch-standalone', 'authorize-post',
        'client-public', 'client-confidential-symmetric', 'client-confidential-asymmetric',
        // SMART 2.x names, and the 1.x names that older apps look for.
        'context-banner', 'context-style', 'context-passthrough-banner', 'context-passthrough-style',
        'context-ehr-patient', 'context-ehr-encounter', 'context-standalone-patient',
        'permission-offline', 'permission-online', 'permission-patient', 'permission-user', 'permission-v1', 'permission-v2',
        'sso-openid-connect',
      ],
    });
  };
}

/** OpenID Connect Discovery 1.0 at `/oauth2/.well-known/openid-configuration`. */
export function openidConfiguration(ctx: AppContext): RequestHandler {
  return (_req, res) => {
    const all = endpoints(ctx);
    res.set('Cache-Control', 'public, max-age=300').json({
      ...all,
      scopes_supported: scopesSupported(),
      response_types_supported: ['code'],
      response_modes_supported: ['query'],
      grant_types_supported: grantTypesSupported,
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      token_endpoint_auth_methods_supported: authMethodsSupported,
      token_endpoint_auth_signing_alg_values_supported: assertionAlgs,
      introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'private_key_jwt'],
      revocation_endpoint_auth_methods_supported: authMethodsSupported,
      code_challenge_methods_supported: ['S256'],
      claims_supported: ['iss', 'sub', 'aud', 'exp', 'iat', 'auth_time', 'nonce', 'fhirUser', 'name', 'preferred_username'],
      authorization_response_iss_parameter_supported: true,
      request_parameter_supported: false,
      request_uri_parameter_supported: false,
      claims_parameter_supported: false,
    });
  };
}

/** `smart_style_url` target (SMART App Launch §2.0.8 "Styling"): colours matching the practice's pages. */
export const smartStyle: RequestHandler = (_req, res) => {
  res.set('Cache-Control', 'public, max-age=3600').json({
    color_background: '#f5f7fa',
    color_error: '#b00020',
    color_highlight: '#1f6feb',
    color_modal_backdrop: '',
    color_success: '#2e7d32',
    color_text: '#1b1f24',
    dim_border_radius: '6px',
    dim_font_size: '16px',
    dim_spacing_size: '16px',
    font_family_body: 'system-ui, sans-serif',
    font_family_heading: 'system-ui, sans-serif',
  });
};
