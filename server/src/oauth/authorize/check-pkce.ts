import { AuthorizeRedirectError, type Check } from './types.js';

/** PKCE with S256 only (RFC 7636; `plain` and a missing method, which means plain, are refused). */
export const checkPkce: Check = (state) => {
  const challenge = state.params.code_challenge;
  const method = state.params.code_challenge_method;
  if (!challenge) throw new AuthorizeRedirectError('invalid_request', 'code_challenge is required (PKCE)');
  if (method !== 'S256') throw new AuthorizeRedirectError('invalid_request', 'code_challenge_method must be S256');
  if (!/^[A-Za-z0-9_-]{43}$/.test(challenge)) throw new AuthorizeRedirectError('invalid_request', 'code_challenge is not a base64url SHA-256 value');
  state.codeChallenge = challenge;
};
