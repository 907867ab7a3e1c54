import type { RequestHandler } from 'express';
import type { AppContext } from '../context.js';
import { FhirError } from './errors.js';

/** FHIR Setup's "API on/off": while off, no app reads or writes records (metadata and discovery stay up). */
export function requireApiEnabled(ctx: AppContext): RequestHandler {
  return (_req, _res, next) => {
    if (!ctx.settings.get().apiEnabled) {
      throw new FhirError(503, 'the practice has turned its FHIR API off', 'transient', { 'Retry-After': '3600' });
    }
    next();
  };
}
