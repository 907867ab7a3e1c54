import type { Request, RequestHandler } from 'express';
import type { Transaction } from 'sequelize';
import { FhirError } from '../../http/errors.js';
import { authorize, requestPolicy } from '../access/guard.js';
import type { AccessPolicy } from '../access/policy.js';
import { searchBundle } from '../http/bundles.js';
import { preferences } from '../http/headers.js';
import { sendFhir } from '../http/respond.js';
import { queryPairs, resourceTypeOf, type FhirService } from '../http/service.js';
import { BadSearchValue, parseSearch } from '../search/parse.js';
import type { SearchQuery } from '../search/query.js';
import { shapeResource } from '../search/shape.js';
import type { FhirJson } from '../storage/fhir-store.js';

/** Parses search parameters, turning bad values into 400 and (under strict handling) unknown ones too. */
export function parseSearchOrFail(service: FhirService, resourceType: string, pairs: [string, string][], strict: boolean): SearchQuery {
  let query: SearchQuery;
  try {
    query = parseSearch(service.registry, resourceType, pairs);
  } catch (error) {
    if (error instanceof BadSearchValue) throw new FhirError(400, error.message, 'invalid');
    throw error;
  }
  if (strict && query.unknown.length) throw new FhirError(400, `unknown or unsupported search parameters: ${query.unknown.join(', ')}`, 'not-supported');
  return query;
}

/** Runs a type search and builds the searchset Bundle with self and next links. */
export async function searchset(
  service: FhirService,
  policy: AccessPolicy,
  resourceType: string,
  pairs: [string, string][],
  strict: boolean,
  transaction?: Transaction,
): Promise<FhirJson> {
  const restriction = authorize(policy, resourceType, 's');
  const query = parseSearchOrFail(service, resourceType, pairs, strict);
  const result = await service.repository.search
    .search(query, restriction, service.repository.lookupFor(policy), transaction)
    .catch((error: unknown) => {
      // a _cursor that does not fit the query is found only when it is decoded
      throw error instanceof BadSearchValue ? new FhirError(400, error.message, 'invalid') : error;
    });
  const base = service.base();
  const linkFor = (extra: [string, string][]) => {
    const params = new URLSearchParams([...pairs.filter(([key]) => key !== '_cursor' && key !== '_format'), ...extra]).toString();
    return `${base}/${resourceType}${params ? `?${params}` : ''}`;
  };
  return searchBundle({
    base,
    selfUrl: linkFor(query.cursor ? [['_cursor', query.cursor]] : []),
    ...(result.nextCursor ? { nextUrl: linkFor([['_cursor', result.nextCursor]]) } : {}),
    result,
    shape: (resource) => shapeResource(resource, query, service.registry.summaryElementsOf(resourceType)),
    ignored: query.unknown,
  });
}

function searchPairs(req: Request): [string, string][] {
  const fromBody = req.method === 'POST' && req.is('application/x-www-form-urlencoded') ? queryPairs(req.body) : [];
  return [...queryPairs(req.query), ...fromBody];
}

/** `GET /{type}?…` and `POST /{type}/_search`. */
export function searchType(service: FhirService): RequestHandler {
  return async (req, res) => {
    const resourceType = resourceTypeOf(service, req.params.type as string);
    const bundle = await searchset(service, requestPolicy(res), resourceType, searchPairs(req), preferences(req).strict);
    sendFhir(res, 200, bundle);
  };
}
