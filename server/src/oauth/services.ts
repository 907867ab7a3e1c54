import type { AppContext } from '../context.js';
import { StaffLogin } from '../auth/staff-login.js';
import { FhirPatientDirectory, type PatientDirectory } from '../smart/patient-directory.js';
import type { ScopeSet } from '../smart/scopes.js';
import { AccessCache } from './access-cache.js';
import { Interactions, SsoSessions } from './browser-state.js';
import { PatientLogin } from './patient-login.js';
import { ClientJwksCache } from './client-auth/client-jwks.js';
import { Revocation } from './revocation.js';
import { SequelizeClientStore, type ClientStore } from './store/client-store.js';
import { SequelizeCodeStore, type CodeStore } from './store/code-store.js';
import {
  SequelizeAssertionJtiStore,
  SequelizeLaunchStore,
  SequelizePatientAccessStore,
  type AssertionJtiStore,
  type LaunchStore,
  type PatientAccessStore,
} from './store/misc-stores.js';
import { defineOAuthModels, type OAuthModels, type UserKind } from './store/models.js';
import { SequelizeTokenStore, type TokenStore } from './store/token-store.js';

/** What the bearer check caches per jti: the verdict of the record checks. */
export type CachedAccess =
  | { ok: true; clientId: string; userKind: UserKind; patientId: string | null; encounterId: string | null; scopes: ScopeSet }
  | { ok: false; reason: string };

export interface OAuthServices {
  models: OAuthModels;
  clients: ClientStore;
  tokens: TokenStore;
  codes: CodeStore;
  launches: LaunchStore;
  assertionJtis: AssertionJtiStore;
  patientAccess: PatientAccessStore;
  accessCache: AccessCache<CachedAccess>;
  revocation: Revocation;
  clientJwks: ClientJwksCache;
  sessions: SsoSessions;
  interactions: Interactions;
  patientLogin: PatientLogin;
  staffLogin: StaffLogin;
  /** Replaceable (tests, or a search-index backed directory later). */
  patientDirectory: PatientDirectory;
}

/** What the OAuth services need from the server: its database, users and audit log. */
export type OAuthHost = Pick<AppContext, 'sequelize' | 'models' | 'audit'>;

const byContext = new WeakMap<OAuthHost, OAuthServices>();

/**
 * The authorization server's stores and caches for one running server. Built on first use from
 * the context's database (kept beside AppContext rather than in it, so the foundation's
 * context stays as it is); one instance per server, so tests with two servers never share state.
 */
export function oauthServices(ctx: OAuthHost): OAuthServices {
  let services = byContext.get(ctx);
  if (!services) {
    const models = defineOAuthModels(ctx.sequelize);
    const clients = new SequelizeClientStore(models);
    const tokens = new SequelizeTokenStore(models);
    const patientAccess = new SequelizePatientAccessStore(models);
    const accessCache = new AccessCache<CachedAccess>();
    services = {
      models,
      clients,
      tokens,
      codes: new SequelizeCodeStore(models),
      launches: new SequelizeLaunchStore(models),
      assertionJtis: new SequelizeAssertionJtiStore(models),
      patientAccess,
      accessCache,
      revocation: new Revocation(tokens, clients, patientAccess, accessCache as AccessCache<unknown>, ctx.audit),
      clientJwks: new ClientJwksCache(),
      sessions: new SsoSessions(),
      interactions: new Interactions(),
      patientLogin: new PatientLogin(patientAccess, ctx.audit),
      staffLogin: new StaffLogin(ctx.models, ctx.audit),
      patientDirectory: new FhirPatientDirectory(ctx.sequelize),
    };
    byContext.set(ctx, services);
  }
  return services;
}
