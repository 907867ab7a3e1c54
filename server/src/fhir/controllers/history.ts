import type { RequestHandler } from 'express';
import { FhirError } from '../../http/errors.js';
import { requestPolicy } from '../access/guard.js';
import { dateRange } from '../indexing/date-range.js';
import { historyBundle } from '../http/bundles.js';
import { sendFhir } from '../http/respond.js';
import { queryPairs, resourceTypeOf, type FhirService } from '../http/service.js';
import { defaultCount, maxCount } from '../search/query.js';

interface HistoryCursor {
  lastUpdated: string;
  resourceType: string;
  id: string;
  versionId: number;
}

function decode(text: string): HistoryCursor {
  try {
    const cursor = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as HistoryCursor;
    if (typeof cursor.lastUpdated === 'string' && typeof cursor.resourceType === 'string' && typeof cursor.id === 'string' && typeof cursor.versionId === 'number') return cursor;
  } catch {
    // fall through
  }
  throw new FhirError(400, '_cursor is not valid', 'invalid');
}

/** `GET [/{type}[/{id}]]/_history` with `_count`, `_since` and keyset paging. */
export function history(service: FhirService, level: 'instance' | 'type' | 'system'): RequestHandler {
  return async (req, res) => {
    const resourceType = level === 'system' ? undefined : resourceTypeOf(service, req.params.type as string);
    const id = level === 'instance' ? (req.params.id as string) : undefined;
    const params = new URLSearchParams(queryPairs(req.query));
    const countText = params.get('_count');
    if (countText !== null && !/^\d+$/.test(countText)) throw new FhirError(400, '_count must be a non-negative integer', 'invalid');
    const count = Math.min(countText === null ? defaultCount : Math.max(Number(countText), 1), maxCount);
    const sinceText = params.get('_since');
    const since = sinceText === null ? undefined : dateRange(sinceText)?.low;
    if (sinceText !== null && !since) throw new FhirError(400, `_since "${sinceText}" is not a valid instant`, 'invalid');
    const cursorText = params.get('_cursor');
    const before = cursorText ? decode(cursorText) : undefined;

    const { versions, more } = await service.repository.history(
      requestPolicy(res),
      { ...(resourceType ? { resourceType } : {}), ...(id ? { id } : {}) },
      { count, ...(since ? { since } : {}), ...(before ? { before } : {}) },
    );
    const path = `${service.base()}${resourceType ? `/${resourceType}` : ''}${id ? `/${id}` : ''}/_history`;
    params.delete('_cursor');
    const last = versions.at(-1);
    const link = (cursor?: HistoryCursor) => {
      const p = new URLSearchParams(params);
      if (cursor) p.set('_cursor', Buffer.from(JSON.stringify(cursor)).toString('base64url'));
      const text = p.toString();
      return text ? `${path}?${text}` : path;
    };
    const next = more && last ? link({ lastUpdated: last.lastUpdated, resourceType: last.resourceType, id: last.id, versionId: last.versionId }) : undefined;
    sendFhir(res, 200, historyBundle(service.base(), link(before), versions, next));
  };
}
