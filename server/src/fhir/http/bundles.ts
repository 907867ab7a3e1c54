import { operationOutcome } from '../../http/errors.js';
import type { SearchResult } from '../search/execute.js';
import type { FhirJson, StoredResource } from '../storage/fhir-store.js';

export function fullUrl(base: string, stored: { resourceType: string; id: string }): string {
  return `${base}/${stored.resourceType}/${stored.id}`;
}

export interface SearchBundleInput {
  base: string;
  selfUrl: string;
  nextUrl?: string;
  result: SearchResult;
  /** Shapes each match (`_elements`, `_summary`). */
  shape: (resource: FhirJson) => FhirJson;
  /** Parameters that were ignored: listed in an OperationOutcome entry. */
  ignored: readonly string[];
}

export function searchBundle({ base, selfUrl, nextUrl, result, shape, ignored }: SearchBundleInput): FhirJson {
  const entry: unknown[] = [
    ...result.matches.map((s) => ({ fullUrl: fullUrl(base, s), resource: shape(s.resource), search: { mode: 'match' } })),
    ...result.included.map((s) => ({ fullUrl: fullUrl(base, s), resource: s.resource, search: { mode: 'include' } })),
  ];
  if (ignored.length) {
    const outcome = operationOutcome([{ severity: 'warning', code: 'not-supported', diagnostics: `ignored search parameters: ${ignored.join(', ')}` }]);
    entry.push({ resource: outcome, search: { mode: 'outcome' } });
  }
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    ...(result.total !== undefined ? { total: result.total } : {}),
    link: [{ relation: 'self', url: selfUrl }, ...(nextUrl ? [{ relation: 'next', url: nextUrl }] : [])],
    entry,
  };
}

/** A history Bundle: newest first, deleted versions as DELETE entries without a resource. */
export function historyBundle(base: string, selfUrl: string, versions: StoredResource[], nextUrl?: string): FhirJson {
  return {
    resourceType: 'Bundle',
    type: 'history',
    link: [{ relation: 'self', url: selfUrl }, ...(nextUrl ? [{ relation: 'next', url: nextUrl }] : [])],
    entry: versions.map((v) => ({
      fullUrl: fullUrl(base, v),
      ...(v.deleted ? {} : { resource: v.resource }),
      request: { method: v.deleted ? 'DELETE' : v.versionId === 1 ? 'POST' : 'PUT', url: v.versionId === 1 && !v.deleted ? v.resourceType : `${v.resourceType}/${v.id}` },
      response: { status: v.deleted ? '204' : v.versionId === 1 ? '201' : '200', etag: `W/"${v.versionId}"`, lastModified: v.lastUpdated },
    })),
  };
}
