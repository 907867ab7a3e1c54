import { FhirError } from '../../http/errors.js';
import type { FhirRegistry } from '../definitions/registry.js';

export type EntryMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** What a Bundle entry's `request` asks for, its URL split into type, id, version and query. */
export interface EntryRequest {
  method: EntryMethod;
  resourceType: string;
  id?: string;
  versionId?: number;
  query?: string;
  ifMatch?: string;
  ifNoneExist?: string;
}

const methods = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);

export function parseEntryRequest(registry: FhirRegistry, base: string, request: unknown, index: number): EntryRequest {
  const r = (request ?? {}) as { method?: unknown; url?: unknown; ifMatch?: unknown; ifNoneExist?: unknown };
  const where = `Bundle.entry[${index}].request`;
  if (typeof r.method !== 'string' || !methods.has(r.method)) {
    throw new FhirError(400, [{ severity: 'error', code: 'not-supported', diagnostics: `method ${String(r.method)} is not supported`, expression: [`${where}.method`] }]);
  }
  if (typeof r.url !== 'string' || r.url === '') throw new FhirError(400, [{ severity: 'error', code: 'required', diagnostics: 'request.url is required', expression: [`${where}.url`] }]);
  let url = r.url.startsWith(base) ? r.url.slice(base.length) : r.url;
  url = url.replace(/^\//, '');
  const [path = '', query] = url.split('?', 2) as [string, string | undefined];
  const [typeName = '', id, history, version] = path.split('/');
  const resourceType = registry.canonicalType(typeName);
  if (!resourceType || (history !== undefined && history !== '_history') || (version !== undefined && !/^\d+$/.test(version))) {
    throw new FhirError(400, [{ severity: 'error', code: 'not-supported', diagnostics: `request.url "${r.url}" is not supported`, expression: [`${where}.url`] }]);
  }
  return {
    method: r.method as EntryMethod,
    resourceType,
    ...(id ? { id } : {}),
    ...(version ? { versionId: Number(version) } : {}),
    ...(query !== undefined ? { query } : {}),
    ...(typeof r.ifMatch === 'string' ? { ifMatch: r.ifMatch } : {}),
    ...(typeof r.ifNoneExist === 'string' ? { ifNoneExist: r.ifNoneExist } : {}),
  };
}
