import { redirectUriMatches } from '../registration/redirect-uri-rules.js';
import { AuthorizePageError, type Check } from './types.js';

/** Exactly a registered redirect URI (loopback port excepted); required even with one registered. */
export const checkRedirectUri: Check = (state) => {
  const requested = state.params.redirect_uri;
  if (!requested) throw new AuthorizePageError('The request has no redirect_uri.');
  if (!state.client!.metadata.redirect_uris.some((registered) => redirectUriMatches(registered, requested))) {
    throw new AuthorizePageError('The redirect_uri is not one the app registered.');
  }
  state.redirectUri = requested;
};
