import { ScopeSet } from '../../smart/scopes.js';
import { AuthorizeRedirectError, type Check } from './types.js';

/** Well-formed SMART scopes, each equal to or narrowing a registered one (DESIGN §10); else the whole request fails. */
export const checkScope: Check = (state) => {
  const { set, invalid } = ScopeSet.tryParse(state.params.scope);
  if (invalid.length > 0) throw new AuthorizeRedirectError('invalid_scope', invalid.map((error) => error.message).join('; '));
  if (set.size === 0) throw new AuthorizeRedirectError('invalid_scope', 'scope is required');
  const refused = ScopeSet.parse(state.client!.scope).notCovering(set);
  if (refused.length > 0) throw new AuthorizeRedirectError('invalid_scope', `not registered for this app: ${refused.join(' ')}`);
  state.scopes = set;
};
