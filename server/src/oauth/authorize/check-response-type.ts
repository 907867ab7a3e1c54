import { AuthorizeRedirectError, type Check } from './types.js';

/** Only the authorization code flow; never implicit or hybrid. */
export const checkResponseType: Check = (state) => {
  if (state.params.response_type !== 'code') throw new AuthorizeRedirectError('unsupported_response_type', 'response_type must be code');
  if (state.params.response_mode !== undefined && state.params.response_mode !== 'query') {
    throw new AuthorizeRedirectError('invalid_request', 'only response_mode=query is supported');
  }
  if (state.params.request !== undefined || state.params.request_uri !== undefined) {
    throw new AuthorizeRedirectError('request_not_supported', 'request objects are not supported');
  }
};
