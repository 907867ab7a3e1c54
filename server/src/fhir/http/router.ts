import express, { Router, type RequestHandler } from 'express';
import type { Authenticate } from '../access/guard.js';
import { processBundle } from '../controllers/bundle.js';
import { history } from '../controllers/history.js';
import { readResource, vreadResource } from '../controllers/read.js';
import { searchSystem, searchType } from '../controllers/search.js';
import { conditionalDelete, conditionalUpdate, createResource, deleteResource, notAllowed, patchResource, updateResource } from '../controllers/write.js';
import { checkFormat } from './headers.js';
import type { FhirService } from './service.js';

export interface FhirRouterOptions {
  authenticate: Authenticate;
  bodyLimit: string;
}

/**
 * The FHIR R4 REST API, mounted at `/fhir/r4` and `/r4`. Every interaction is authenticated first;
 * what the caller may see is decided per interaction in the repository (access/guard.ts).
 * `/metadata` is served by app.ts without a token.
 */
export function fhirRouter(service: FhirService, options: FhirRouterOptions): Router {
  const router = Router({ caseSensitive: false });
  const authenticate: RequestHandler = async (req, res, next) => {
    res.locals.fhirPolicy = await options.authenticate(req);
    next();
  };
  const format: RequestHandler = (req, res, next) => {
    checkFormat(req.query._format);
    res.set('Cache-Control', 'no-store');
    next();
  };
  // on each route rather than router-wide, so a path that is no FHIR interaction answers 404 without a token
  const json = express.json({ type: ['application/json', 'application/fhir+json', 'application/json+fhir', 'application/json-patch+json'], limit: options.bodyLimit });
  const form = express.urlencoded({ extended: false, limit: options.bodyLimit });
  const guarded = [format, authenticate, json, form];

  router.get('/', guarded, searchSystem(service));
  router.post('/', guarded, processBundle(service));
  router.post('/_search', guarded, searchSystem(service));
  router.get('/_history', guarded, history(service, 'system'));
  router.get('/:type', guarded, searchType(service));
  router.post('/:type/_search', guarded, searchType(service));
  router.get('/:type/_history', guarded, history(service, 'type'));
  router.post('/:type', guarded, createResource(service));
  router.put('/:type', guarded, conditionalUpdate(service));
  router.delete('/:type', guarded, conditionalDelete(service));
  router.patch('/:type', guarded, patchResource(service));
  router.get('/:type/:id', guarded, readResource(service));
  router.put('/:type/:id', guarded, updateResource(service));
  router.patch('/:type/:id', guarded, patchResource(service));
  router.delete('/:type/:id', guarded, deleteResource(service));
  router.get('/:type/:id/_history', guarded, history(service, 'instance'));
  router.get('/:type/:id/_history/:vid', guarded, vreadResource(service));
  router.all(['/', '/:type', '/:type/:id'], guarded, notAllowed());
  return router;
}
