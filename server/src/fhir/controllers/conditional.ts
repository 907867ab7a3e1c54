import type { Transaction } from 'sequelize';
import { FhirError } from '../../http/errors.js';
import { authorize } from '../access/guard.js';
import type { AccessPolicy } from '../access/policy.js';
import type { FhirService } from '../http/service.js';
import type { StoredResource } from '../storage/fhir-store.js';
import { parseSearchOrFail } from './search.js';

/**
 * The one resource a condition (`identifier=…`, from If-None-Exist or a conditional reference)
 * names: undefined for none, 412 for several. Unknown parameters are refused rather than ignored,
 * because ignoring one would widen the match.
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
  const result = await service.repository.search.search(query, authorize(policy, resourceType, 's'), () => undefined, transaction);
  if (result.matches.length > 1) throw new FhirError(412, `more than one ${resourceType} matches ${condition}`, 'multiple-matches');
  return result.matches[0];
}
