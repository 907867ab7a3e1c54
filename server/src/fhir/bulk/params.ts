import type { Request } from 'express';
import { FhirError } from '../../http/errors.js';
import type { AccessPolicy } from '../access/policy.js';
import { parseSearchOrFail } from '../controllers/search.js';
import { queryPairs, type FhirService } from '../http/service.js';
import { compileCriteria } from '../search/compile.js';
import { compileContext, type CompileContext } from '../search/context.js';
import type { Criterion } from '../search/query.js';
import { parseElements } from './elements.js';

/** What a kick-off asked for, validated; stored with the job as JSON so the worker needs no request. */
export interface ExportParams {
  /** `_type`; undefined = every type the client may read. */
  types?: string[];
  /** `_since` as an ISO instant in UTC (comparable with `last_updated`). */
  since?: string;
  /** `_typeFilter` entries, `Type?query`. */
  typeFilters: string[];
  /** Patient ids the export is confined to (Group members, `patient`); undefined = every patient. */
  patients?: string[];
  /** The token's scope at kick-off: it decides the types and their granular filters. */
  scope: string;
  /** `_elements` entries, `Type.element` or `element` (elements.ts); undefined = whole resources. */
  elements?: string[];
  /** Parameters accepted but not applied, reported in the manifest's `error`. */
  warnings: string[];
}

const outputFormats = new Set(['application/fhir+ndjson', 'application/ndjson', 'ndjson']);
const ignored: Record<string, string> = {
  includeAssociatedData: 'includeAssociatedData is not supported and was ignored',
};

/** A POST kick-off's Parameters resource as name/value pairs (the same shape as a GET query). */
function parametersPairs(body: unknown): [string, string][] {
  const resource = body as { resourceType?: unknown; parameter?: unknown } | undefined;
  if (resource?.resourceType !== 'Parameters') throw new FhirError(400, 'a POST kick-off needs a Parameters resource body', 'invalid');
  const pairs: [string, string][] = [];
  for (const entry of Array.isArray(resource.parameter) ? (resource.parameter as Record<string, unknown>[]) : []) {
    if (typeof entry.name !== 'string') continue;
    const reference = (entry.valueReference as { reference?: unknown } | undefined)?.reference;
    const value = [entry.valueString, entry.valueInstant, entry.valueDateTime, entry.valueCode, entry.valueBoolean, reference].find((v) => v !== undefined);
    if (value !== undefined) pairs.push([entry.name, String(value)]);
  }
  return pairs;
}

export function requestPairs(req: Request): [string, string][] {
  return req.method === 'POST' ? parametersPairs(req.body) : queryPairs(req.query);
}

function parseSince(value: string): string {
  const time = Date.parse(value);
  // a FHIR instant: date, time and zone
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value) || Number.isNaN(time)) {
    throw new FhirError(400, `_since "${value}" is not a FHIR instant`, 'invalid');
  }
  return new Date(time).toISOString();
}

/** The criteria of the `_typeFilter` entries for one type (any one entry must match); throws 400 on a bad query. */
export function typeFilterCriteria(service: FhirService, typeFilters: readonly string[], resourceType: string): Criterion[][] {
  const result: Criterion[][] = [];
  for (const filter of typeFilters) {
    const [type = '', query = ''] = filter.split(/\?(.*)/s, 2);
    if (service.registry.canonicalType(type) !== resourceType) continue;
    result.push(parseSearchOrFail(service, resourceType, [...new URLSearchParams(query)], true).criteria);
  }
  return result;
}

/** What `_typeFilter` criteria may read beyond their type (chains, `_has`, a `_list`'s List): what the client may read. */
export function typeFilterContext(service: FhirService, policy: AccessPolicy): CompileContext {
  return compileContext(service.registry, service.repository.store.sequelize.getDialect(), (type) => policy.restrictionFor(type, 'r'));
}

/**
 * Compiles every `_typeFilter` under the client's access, so one whose chain or `_has` reads a
 * type the client may not read is refused (403) at kick-off rather than failing the job.
 */
export function checkTypeFilterAccess(service: FhirService, typeFilters: readonly string[], policy: AccessPolicy): void {
  const context = typeFilterContext(service, policy);
  for (const filter of typeFilters) {
    const type = service.registry.canonicalType(filter.split('?', 1)[0] ?? '');
    if (!type) continue;
    for (const criteria of typeFilterCriteria(service, [filter], type)) compileCriteria(criteria, 'r', type, context);
  }
}

/** Validates kick-off parameters (400 on the first bad one). */
export function parseExportParams(service: FhirService, pairs: [string, string][], scope: string): ExportParams {
  const params: ExportParams = { typeFilters: [], scope, warnings: [] };
  const types: string[] = [];
  const patients: string[] = [];
  const elements: string[] = [];
  for (const [name, value] of pairs) {
    switch (name) {
      case '_type':
        for (const item of value.split(',').map((t) => t.trim()).filter(Boolean)) {
          const type = service.registry.canonicalType(item);
          if (!type) throw new FhirError(400, `_type: "${item}" is not a resource type this server knows`, 'invalid');
          if (!types.includes(type)) types.push(type);
        }
        break;
      case '_since':
        params.since = parseSince(value);
        break;
      case '_outputFormat':
        if (!outputFormats.has(value)) throw new FhirError(400, `_outputFormat "${value}" is not supported; use application/fhir+ndjson`, 'not-supported');
        break;
      case '_elements':
        elements.push(...parseElements(service.registry, value));
        break;
      case '_typeFilter':
        // entries are comma-separated; a comma inside a query is followed by no `Type?`
        params.typeFilters.push(...value.split(/,(?=[A-Za-z]+\?)/).filter(Boolean));
        break;
      case 'patient': {
        const match = /(?:^|\/)Patient\/([A-Za-z0-9\-.]{1,64})$/.exec(value);
        if (!match) throw new FhirError(400, `patient "${value}" is not a Patient reference`, 'invalid');
        patients.push(match[1]!);
        break;
      }
      default:
        if (ignored[name]) params.warnings.push(ignored[name]);
    }
  }
  for (const filter of params.typeFilters) {
    const type = service.registry.canonicalType(filter.split('?', 1)[0] ?? '');
    if (!type || !filter.includes('?')) throw new FhirError(400, `_typeFilter "${filter}" is not Type?query`, 'invalid');
    typeFilterCriteria(service, [filter], type);
  }
  if (types.length) params.types = types;
  if (patients.length) params.patients = patients;
  if (elements.length) params.elements = elements;
  return params;
}
