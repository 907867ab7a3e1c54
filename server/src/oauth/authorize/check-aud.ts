import { AuthorizeRedirectError, type Check } from './types.js';

/** SMART: `aud` names the FHIR server the token is for; it must be ours, exactly. */
export const checkAud: Check = (state) => {
  const aud = state.params.aud;
  if (aud !== state.ctx.urls().fhirBase) throw new AuthorizeRedirectError('invalid_request', 'aud must be this server\'s FHIR base URL');
};
