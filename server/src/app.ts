import path from 'node:path';
import cookieParser from 'cookie-parser';
import express, { type Express } from 'express';
import { adminApi } from './admin/router.js';
import { adminGui } from './admin/static-gui.js';
import type { AppContext } from './context.js';
import { fhirApi } from './fhir/api.js';
import { metadataHandler } from './fhir/capability/metadata.js';
import { requireApiEnabled } from './http/api-switch.js';
import { errorHandler, notFound } from './http/error-handler.js';
import { securityHeaders } from './http/security-headers.js';
import { oauthRouter, smartConfigurationRouter } from './oauth/router.js';
import { appRoot } from './util/app-root.js';

/** Builds the Express app from the server's services; server.ts binds it to HTTPS. */
export function createApp(ctx: AppContext): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.use(securityHeaders);
  // only the sign-in pages and the admin GUI use cookies; the FHIR API reads bearer tokens alone
  app.use(['/oauth2', '/admin'], cookieParser());

  app.get('/', (_req, res) => res.redirect('/admin/'));
  app.get('/ca.crt', (_req, res) => {
    res.type('application/x-pem-file').attachment('inpracsys-ca.crt').send(ctx.tls.caPem);
  });
  app.get(['/metadata', '/fhir/r4/metadata', '/r4/metadata'], metadataHandler(ctx));
  // SMART discovery before any FHIR router, so /fhir/r4/.well-known/… is never taken for a resource.
  app.use(smartConfigurationRouter(ctx));
  app.use('/oauth2', oauthRouter(ctx));
  // FHIR REST API; every request passes the bearer-token check (oauth/bearer.ts) first.
  app.use(['/fhir/r4', '/r4'], requireApiEnabled(ctx), fhirApi(ctx));

  app.use('/admin/api', adminApi(ctx));
  app.use('/admin', adminGui(path.join(appRoot(), 'build', 'renderer')));

  app.use(notFound);
  app.use(errorHandler(ctx.log));
  return app;
}
