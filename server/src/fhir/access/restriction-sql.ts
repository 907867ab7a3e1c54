import type { FhirRegistry } from '../definitions/registry.js';
import { compileCriteria } from '../search/compile.js';
import { parseCriterion } from '../search/parse.js';
import type { Criterion } from '../search/query.js';
import { joinSql, rawSql, sql, type Sql } from '../storage/sql.js';
import type { Restriction } from './policy.js';

/**
 * The condition a restriction puts on the resources of one type, for every query that reads them
 * (read, search, includes, history): membership of the patient's compartment and the granular
 * scope filters. A filter the server cannot parse matches nothing, so it never widens access.
 */
export function restrictionSql(registry: FhirRegistry, restriction: Restriction, alias: string, resourceType: string): Sql {
  const parts: Sql[] = [];
  if (restriction.patientId !== undefined) {
    const a = rawSql(alias);
    parts.push(sql`${a}.id IN (SELECT cm.resource_id FROM fhir_compartments cm WHERE cm.resource_type = ${resourceType} AND cm.patient_id = ${restriction.patientId})`);
  }
  if (restriction.filters?.length) {
    const alternatives = restriction.filters.map((filter) => {
      const criteria: Criterion[] = [];
      for (const [key, value] of filter) {
        let criterion: Criterion | undefined;
        try {
          criterion = parseCriterion(registry, resourceType, key, value);
        } catch {
          criterion = undefined;
        }
        if (!criterion) return rawSql('1 = 0');
        criteria.push(criterion);
      }
      return compileCriteria(criteria, alias, resourceType);
    });
    parts.push(joinSql(alternatives, ' OR '));
  }
  return parts.length ? joinSql(parts, ' AND ') : rawSql('1 = 1');
}
