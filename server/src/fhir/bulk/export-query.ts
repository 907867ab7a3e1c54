import type { Restriction } from '../access/policy.js';
import { restrictionSql } from '../access/restriction-sql.js';
import type { FhirRegistry } from '../definitions/registry.js';
import { compileCriteria } from '../search/compile.js';
import type { CompileContext } from '../search/context.js';
import type { Criterion } from '../search/query.js';
import { joinSql, rawSql, sql, sqlList, type Sql } from '../storage/sql.js';

/** Types a patient-level export adds when the patients' resources refer to them (Bulk Data 2.0). */
export const referencedTypes = ['Organization', 'Practitioner', 'PractitionerRole', 'Location', 'Medication'];

export interface TypeSelection {
  resourceType: string;
  restriction: Restriction;
  /** `_typeFilter` queries for the type: any one must match; empty = no filter. */
  filters: Criterion[][];
  /** What the filters' `_text`, `_content` and `_list` need (they match nothing without it). */
  context?: CompileContext;
  since?: string;
  /** Patient-level exports: `{}` = every patient, `{ ids }` = these; undefined = a system export. */
  patients?: { ids?: string[] };
}

/** The resources of a patient-level export: the compartments, and the listed types they refer to. */
function patientCondition(resourceType: string, patients: { ids?: string[] }): Sql {
  const whose = patients.ids ? sql` AND cm.patient_id IN ${sqlList(patients.ids)}` : rawSql('');
  const inCompartment = sql`r.id IN (SELECT cm.resource_id FROM fhir_compartments cm WHERE cm.resource_type = ${resourceType}${whose})`;
  if (!referencedTypes.includes(resourceType)) return inCompartment;
  const referenced = sql`r.id IN (SELECT x.target_id FROM fhir_idx_reference x JOIN fhir_compartments cm ON cm.resource_type = x.resource_type AND cm.resource_id = x.resource_id WHERE x.target_type = ${resourceType}${whose})`;
  return joinSql([inCompartment, referenced], ' OR ');
}

/** The WHERE clause selecting a type's exported resources from `fhir_resources r`. */
export function selectionWhere(registry: FhirRegistry, selection: TypeSelection): Sql {
  const { resourceType } = selection;
  const parts = [sql`r.resource_type = ${resourceType} AND r.deleted = ${false}`, restrictionSql(registry, selection.restriction, 'r', resourceType)];
  if (selection.filters.length) parts.push(joinSql(selection.filters.map((criteria) => compileCriteria(criteria, 'r', resourceType, selection.context)), ' OR '));
  if (selection.since) parts.push(sql`r.last_updated > ${selection.since}`);
  if (selection.patients) parts.push(patientCondition(resourceType, selection.patients));
  return joinSql(parts, ' AND ');
}

/** One keyset page (by id, never OFFSET): the rows after `afterId`. */
export function selectionPage(registry: FhirRegistry, selection: TypeSelection, afterId: string | undefined, limit: number): Sql {
  const after = afterId === undefined ? rawSql('1 = 1') : sql`r.id > ${afterId}`;
  // the stored JSON is all an export writes
  return sql`SELECT r.id, r.content FROM fhir_resources r WHERE ${selectionWhere(registry, selection)} AND ${after} ORDER BY r.id LIMIT ${limit}`;
}
