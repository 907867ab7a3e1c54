import type { Request, RequestHandler } from 'express';
import type { Transaction } from 'sequelize';
import { FhirError } from '../../http/errors.js';
import { authorize, requestPolicy } from '../access/guard.js';
import type { AccessPolicy, Restriction } from '../access/policy.js';
import { searchBundle } from '../http/bundles.js';
import { preferences } from '../http/headers.js';
import { sendFhir } from '../http/respond.js';
import { queryPairs, resourceTypeOf, type FhirService } from '../http/service.js';
import { BadSearchValue, parseSearch, parseSystemSearch } from '../search/parse.js';
import type { SearchQuery, SystemSearchQuery } from '../search/query.js';
import { shapeResource } from '../search/shape.js';
import type { FhirJson } from '../storage/fhir-store.js';

/** A search value the server cannot understand (also a `_cursor` found bad only when decoded) answers 400. */
function badValueAs400(error: unknown): never {
  throw error instanceof BadSearchValue ? new FhirError(400, error.message, 'invalid') : error;
}

function refuseUnknown(unknown: readonly string[], strict: boolean): void {
  if (strict && unknown.length) throw new FhirError(400, `unknown or unsupported search parameters: ${unknown.join(', ')}`, 'not-supported');
}

/** Parses search parameters, turning bad values into 400 and (under strict handling) unknown ones too. */
export function parseSearchOrFail(service: FhirService, resourceType: string, pairs: [string, string][], strict: boolean): SearchQuery {
  let query: SearchQuery;
  try {
    query = parseSearch(service.registry, resourceType, pairs);
  } catch (error) {
    badValueAs400(error);
  }
  refuseUnknown(query.unknown, strict);
  return query;
}

/** Self and next links of a searchset: the request's parameters with the page's `_cursor`. */
function pageLinks(path: string, pairs: [string, string][], cursor: string | undefined, nextCursor: string | undefined): { selfUrl: string; nextUrl?: string } {
  const linkFor = (extra: [string, string][]) => {
    const params = new URLSearchParams([...pairs.filter(([key]) => key !== '_cursor' && key !== '_format'), ...extra]).toString();
    return `${path}${params ? `?${params}` : ''}`;
  };
  return { selfUrl: linkFor(cursor ? [['_cursor', cursor]] : []), ...(nextCursor ? { nextUrl: linkFor([['_cursor', nextCursor]]) } : {}) };
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
  const result = await service.repository.search.search(query, restriction, service.repository.lookupFor(policy), transaction).catch(badValueAs400);
  const base = service.base();
  return searchBundle({
    base,
    ...pageLinks(`${base}/${resourceType}`, pairs, query.cursor, result.nextCursor),
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

/**
 * The types a search across types covers, each with the caller's restriction: the `_type` list
 * (a type the caller may not search answers 403, as a type search would), or else every type the
 * caller may search.
 */
function systemRestrictions(service: FhirService, policy: AccessPolicy, query: SystemSearchQuery): Map<string, Restriction> {
  const restrictions = new Map<string, Restriction>();
  if (query.types) {
    for (const type of query.types) restrictions.set(type, authorize(policy, type, 's'));
    return restrictions;
  }
  for (const type of service.registry.resourceTypes) {
    const restriction = policy.restrictionFor(type, 's');
    if (restriction) restrictions.set(type, restriction);
  }
  return restrictions;
}

/** `GET /?_type=…&_lastUpdated=…` and `POST /_search`: a search across types. */
export function searchSystem(service: FhirService): RequestHandler {
  return async (req, res) => {
    const policy = requestPolicy(res);
    const pairs = searchPairs(req);
    let query: SystemSearchQuery;
    try {
      query = parseSystemSearch(service.registry, pairs);
    } catch (error) {
      badValueAs400(error);
    }
    refuseUnknown(query.unknown, preferences(req).strict);
    const result = await service.repository.systemSearch.search(query, systemRestrictions(service, policy, query), service.repository.lookupFor(policy)).catch(badValueAs400);
    const base = service.base();
    sendFhir(res, 200, searchBundle({ base, ...pageLinks(base, pairs, query.cursor, result.nextCursor), result, shape: (resource) => resource, ignored: query.unknown }));
  };
}
