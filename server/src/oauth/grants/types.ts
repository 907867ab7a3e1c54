import type { AppContext } from '../../context.js';
import type { OAuthServices } from '../services.js';
import type { ClientRecord } from '../store/client-store.js';
import type { AuthCodeRow, GrantRow } from '../store/models.js';

/** What this server passes through the library as the grant's "user". */
export type GrantUser =
  | { via: 'authorization_code'; code: AuthCodeRow }
  | { via: 'refresh_token'; grant: GrantRow; refreshScope: string }
  | { via: 'client_credentials' };

/** One token request: the server, its stores, the already-authenticated client, the caller's IP. */
export interface GrantDeps {
  ctx: AppContext;
  services: OAuthServices;
  client: ClientRecord;
  ip: string | null;
}
