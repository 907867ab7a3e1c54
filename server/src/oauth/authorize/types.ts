import type { AppContext } from '../../context.js';
import type { ScopeSet } from '../../smart/scopes.js';
import type { OAuthServices } from '../services.js';
import type { ClientRecord } from '../store/client-store.js';
import type { LaunchRow } from '../store/models.js';

/** What the checks build up from the request, one field per rule. */
export interface AuthorizeState {
  ctx: AppContext;
  services: OAuthServices;
  params: Record<string, string | undefined>;
  client?: ClientRecord;
  redirectUri?: string;
  scopes?: ScopeSet;
  codeChallenge?: string;
  launch?: LaunchRow;
}

/** One rule of the authorization endpoint; throws on the first failure. */
export type Check = (state: AuthorizeState) => void | Promise<void>;

/** A validated authorization request, kept while the user logs in and consents. */
export interface AuthorizationRequest {
  client: ClientRecord;
  redirectUri: string;
  scopes: ScopeSet;
  codeChallenge: string;
  state: string | undefined;
  nonce: string | undefined;
  launch: LaunchRow | undefined;
}

/** The client or redirect URI cannot be trusted: show an error page, never redirect (RFC 6749 §4.1.2.1). */
export class AuthorizePageError extends Error {}

/** Anything else: sent back to the app's redirect URI as `error`, with `state` and `iss`. */
export class AuthorizeRedirectError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
  ) {
    super(description);
  }
}
