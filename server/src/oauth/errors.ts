import { OAuthError } from '../http/errors.js';

/** One class per RFC 6749 / 7591 / 6750 error; http/error-handler.ts renders them all. */

export class InvalidRequest extends OAuthError {
  constructor(description?: string) {
    super(400, 'invalid_request', description);
  }
}

/** RFC 6749 §5.2: 401 with a Basic challenge; every client-authentication failure looks the same. */
export class InvalidClient extends OAuthError {
  constructor(description = 'client authentication failed') {
    super(401, 'invalid_client', description, { 'WWW-Authenticate': 'Basic realm="oauth2"' });
  }
}

export class InvalidGrant extends OAuthError {
  constructor(description?: string) {
    super(400, 'invalid_grant', description);
  }
}

export class InvalidScope extends OAuthError {
  constructor(description?: string) {
    super(400, 'invalid_scope', description);
  }
}

export class UnauthorizedClient extends OAuthError {
  constructor(description?: string) {
    super(400, 'unauthorized_client', description);
  }
}

export class UnsupportedGrantType extends OAuthError {
  constructor(description?: string) {
    super(400, 'unsupported_grant_type', description);
  }
}

export class UnsupportedTokenType extends OAuthError {
  constructor(description?: string) {
    super(400, 'unsupported_token_type', description);
  }
}

export class InvalidClientMetadata extends OAuthError {
  constructor(description?: string) {
    super(400, 'invalid_client_metadata', description);
  }
}

export class InvalidRedirectUri extends OAuthError {
  constructor(description?: string) {
    super(400, 'invalid_redirect_uri', description);
  }
}

/** RFC 6750 §3.1: the resource server's answer to a bad bearer token. */
export class InvalidToken extends OAuthError {
  constructor(description = 'the access token is invalid, expired or revoked') {
    super(401, 'invalid_token', description, { 'WWW-Authenticate': `Bearer error="invalid_token", error_description="${description.replace(/"/g, "'")}"` });
  }
}

export class TooManyRequests extends OAuthError {
  constructor(retryAfterSeconds: number) {
    super(429, 'too_many_requests', 'too many registrations from this address; try again later', { 'Retry-After': String(retryAfterSeconds) });
  }
}
