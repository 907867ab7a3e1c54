import type { Request } from 'express';
import { FhirError, OAuthError } from '../../http/errors.js';
import type { AccessContext } from '../../oauth/bearer.js';
import type { ScopeContext } from '../../smart/scopes.js';
import type { AccessPolicy, Restriction, ScopeInteraction } from './policy.js';

/** The caller as the authorization server sees it (server/src/oauth/bearer.ts). */
export type FhirAccessContext = Pick<AccessContext, 'clientId' | 'subject' | 'userKind' | 'patientId' | 'fhirUser' | 'scopes'>;

/** Authenticates a FHIR request (the bearer token) and answers the caller's policy; throws 401 on failure. */
export type Authenticate = (req: Request) => Promise<AccessPolicy>;

function narrowedBy(access: FhirAccessContext, context: ScopeContext, resourceType: string, interaction: ScopeInteraction): Restriction {
  const filters = access.scopes.filtersFor(context, resourceType, interaction) ?? [];
  return filters.length ? { filters: filters.map((filter) => filter.params.map(({ name, value }) => [name, value] as [string, string])) } : {};
}

/**
 * Types that hold no one's health record (the practice's directory and medication catalogue):
 * a patient/ scope that names one reads it whole, as apps follow a patient's references to them.
 * Writing still confines to the compartment, so a patient token never creates or changes them.
 */
const sharedTypes = new Set(['Practitioner', 'PractitionerRole', 'Organization', 'Location', 'Medication']);

/**
 * The one place SMART scopes become FHIR access: `system/` and `user/` scopes see the whole
 * server, `patient/` scopes only the launch patient's compartment (and the shared types above);
 * granular scopes narrow both.
 */
export function policyForAccess(access: FhirAccessContext): AccessPolicy {
  return {
    agent: access.fhirUser ? { reference: access.fhirUser, display: access.subject } : { display: `client ${access.clientId}` },
    restrictionFor(resourceType, interaction) {
      for (const context of ['system', 'user'] as const) {
        if (access.scopes.allows(context, resourceType, interaction)) return narrowedBy(access, context, resourceType, interaction);
      }
      if (access.patientId && access.scopes.allows('patient', resourceType, interaction)) {
        const narrowed = narrowedBy(access, 'patient', resourceType, interaction);
        return sharedTypes.has(resourceType) && (interaction === 'r' || interaction === 's') ? narrowed : { patientId: access.patientId, ...narrowed };
      }
      return undefined;
    },
  };
}

/** Every interaction asks this: the restriction to apply, or 403 when the policy does not grant it. */
export function authorize(policy: AccessPolicy, resourceType: string, interaction: ScopeInteraction): Restriction {
  const restriction = policy.restrictionFor(resourceType, interaction);
  if (!restriction) throw new FhirError(403, `access to ${resourceType} (${interaction}) is not granted`, 'forbidden');
  return restriction;
}

/** The policy set by the router's authentication step. */
export function requestPolicy(res: { locals: Record<string, unknown> }): AccessPolicy {
  const policy = res.locals.fhirPolicy as AccessPolicy | undefined;
  if (!policy) throw new FhirError(401, 'authentication required', 'login', { 'WWW-Authenticate': 'Bearer' });
  return policy;
}

/** Verifies an `Authorization` header value and answers the caller's access (server/src/oauth/bearer.ts). */
export type VerifyBearer = (authorization: string | undefined) => Promise<FhirAccessContext>;

/** A verified bearer token's access, its OAuth errors rendered as FHIR 401s (also used by bulk export). */
export async function verifiedAccess(verify: VerifyBearer, req: Request): Promise<FhirAccessContext> {
  try {
    return await verify(req.get('authorization'));
  } catch (error) {
    if (error instanceof OAuthError) {
      throw new FhirError(error.status, error.description ?? error.error, error.status === 401 ? 'login' : 'forbidden', {
        'WWW-Authenticate': `Bearer error="${error.error}"`,
      });
    }
    throw error;
  }
}

/** Authentication for the FHIR router: the caller's policy from a verified bearer token. */
export function bearerAuthenticate(verify: VerifyBearer): Authenticate {
  return async (req) => policyForAccess(await verifiedAccess(verify, req));
}
