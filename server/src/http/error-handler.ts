import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from '../log.js';
import { FhirError, HttpError, OAuthError, operationOutcome } from './errors.js';

const isFhirPath = (path: string): boolean => /^\/(fhir\/r4|r4)(\/|$)|^\/metadata$/i.test(path);

/** body-parser and friends throw errors carrying an HTTP status (400 bad JSON, 413 too large, 415). */
function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown; statusCode?: unknown }).status ?? (error as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' && status >= 400 && status < 600 ? status : undefined;
}

function publicMessage(error: unknown, status: number): string {
  if (status >= 500) return 'internal server error';
  const type = (error as { type?: string }).type;
  if (type === 'entity.parse.failed') return 'the request body is not valid JSON';
  if (type === 'entity.too.large') return 'the request body is too large';
  return (error as Error).message || 'request failed';
}

/** The one place errors become responses. Internal details are logged, never sent. */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    if (res.headersSent) {
      log.error({ err: error, path: req.path }, 'error after the response started');
      res.end();
      return;
    }
    if (error instanceof OAuthError) {
      res.set(error.headers).set('Cache-Control', 'no-store').status(error.status);
      res.json({ error: error.error, ...(error.description ? { error_description: error.description } : {}) });
      return;
    }
    if (error instanceof FhirError) {
      res.set(error.headers).status(error.status).type('application/fhir+json').send(JSON.stringify(operationOutcome(error.issues)));
      return;
    }
    const status = error instanceof HttpError ? error.status : (statusOf(error) ?? 500);
    if (status >= 500) log.error({ err: error, path: req.path, method: req.method }, 'request failed');
    if (error instanceof HttpError) res.set(error.headers);
    const message = publicMessage(error, status);
    res.status(status);
    if (isFhirPath(req.path)) {
      const code = status === 404 ? 'not-found' : status === 413 ? 'too-costly' : status >= 500 ? 'exception' : 'invalid';
      res.type('application/fhir+json').send(JSON.stringify(operationOutcome([{ severity: 'error', code, diagnostics: message }])));
    } else if (req.path.startsWith('/oauth2/')) {
      res.set('Cache-Control', 'no-store').json({ error: status >= 500 ? 'server_error' : 'invalid_request', error_description: message });
    } else {
      res.json({ error: message });
    }
  };
}

/** Unknown paths: 404 in the shape of the path's API. */
export const notFound: RequestHandler = (req) => {
  if (isFhirPath(req.path)) throw new FhirError(404, `unknown path ${req.path}`, 'not-found');
  throw new HttpError(404, 'not found');
};
