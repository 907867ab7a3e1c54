import { randomUUID } from 'node:crypto';
import type { Transaction } from 'sequelize';
import { FhirError, operationOutcome } from '../../http/errors.js';
import { authorize } from '../access/guard.js';
import type { AccessPolicy } from '../access/policy.js';
import type { FhirService } from '../http/service.js';
import type { StoredResource } from '../storage/fhir-store.js';
import { parseSearchOrFail } from './search.js';

/** Search parameters that only shape a response: not part of a condition. */
const notCriteria = new Set(['_format', '_pretty']);

/** A condition from a request's query (`PUT /Patient?identifier=…`), as conditionalMatch takes it. */
export function conditionFromQuery(pairs: [string, string][]): string {
  return new URLSearchParams(pairs.filter(([key]) => !notCriteria.has(key))).toString();
}

/**
 * The one resource a condition (`identifier=…`, from If-None-Exist, a conditional reference,
 * update or delete) names, among those the caller may search: undefined for none, 412 for several.
 * Unknown parameters are refused rather than ignored, because ignoring one would widen the match.
 */
export async function conditionalMatch(
  service: FhirService,
  policy: AccessPolicy,
  resourceType: string,
  condition: string,
  transaction?: Transaction,
): Promise<StoredResource | undefined> {
  const pairs = [...new URLSearchParams(condition.replace(/^\?/, ''))];
  if (!pairs.length) throw new FhirError(412, `the condition on ${resourceType} is empty`, 'invalid');
  const query = { ...parseSearchOrFail(service, resourceType, pairs, true), count: 2, total: 'none' as const };
  const result = await service.repository.search.search(query, authorize(policy, resourceType, 's'), service.repository.lookupFor(policy), transaction);
  if (result.matches.length > 1) throw new FhirError(412, `more than one ${resourceType} matches ${condition}`, 'multiple-matches');
  return result.matches[0];
}

/** The id of the one resource a condition names, for a conditional PATCH: none answers 404, several 412. */
export async function matchedId(service: FhirService, policy: AccessPolicy, resourceType: string, condition: string, transaction: Transaction): Promise<string> {
  const match = await conditionalMatch(service, policy, resourceType, condition, transaction);
  if (!match) throw new FhirError(404, `no ${resourceType} matches ${condition}`, 'not-found');
  return match.id;
}

/** The answer to a conditional delete that matched nothing (FHIR allows 200 or 204; the outcome says why nothing happened). */
export function nothingDeleted(resourceType: string, condition: string): Record<string, unknown> {
  return operationOutcome([{ severity: 'information', code: 'not-found', diagnostics: `no ${resourceType} matches ${condition}; nothing was deleted` }]);
}

/**
 * Which id a conditional update (`PUT /Type?condition`) writes: the one match's; with no match,
 * the body's id (a create under the client's id) or a new one; several matches answer 412. A
 * body id that differs from the match, or that names an existing resource the condition did not
 * match, is refused, so the condition always decides what is overwritten.
 */
export async function conditionalUpdateId(
  service: FhirService,
  policy: AccessPolicy,
  resourceType: string,
  condition: string,
  body: unknown,
  transaction: Transaction,
): Promise<string> {
  const bodyId = typeof body === 'object' && body !== null && typeof (body as { id?: unknown }).id === 'string' ? (body as { id: string }).id : undefined;
  const match = await conditionalMatch(service, policy, resourceType, condition, transaction);
  if (match) {
    if (bodyId !== undefined && bodyId !== match.id) throw new FhirError(400, `the body's id "${bodyId}" differs from the matching ${resourceType}/${match.id}`, 'invalid');
    return match.id;
  }
  if (bodyId === undefined) return randomUUID();
  const existing = await service.repository.store.current(resourceType, bodyId, transaction);
  if (existing && !existing.deleted) {
    // answers 404 when the caller may not see it, as a plain PUT would
    await service.repository.read(policy, resourceType, bodyId, transaction);
    throw new FhirError(409, `${resourceType}/${bodyId} exists but does not match ${condition}`, 'conflict');
  }
  return bodyId;
}
