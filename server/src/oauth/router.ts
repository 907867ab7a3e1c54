import express, { Router } from 'express';
import type { AppContext } from '../context.js';
import { pagesCss } from '../views/styles.js';
import { authorizeHandler } from './authorize/index.js';
import { interactionRouter } from './authorize/interaction.js';
import { openCors } from './cors.js';
import { openidConfiguration, smartConfiguration, smartStyle } from './discovery.js';
import { formBody, noCache, rejectDuplicateParams } from './http-helpers.js';
import { jwksHandler } from './jwks.js';
import { registerHandler } from './register.js';
import { introspectHandler } from './introspect.js';
import { logoutHandler } from './logout.js';
import { manageRouter } from './manage.js';
import { revokeHandler } from './revoke.js';
import { tokenHandler } from './token.js';
import { userinfoHandler } from './userinfo.js';

/** The authorization server under `/oauth2` (DESIGN §4): one module per endpoint. */
export function oauthRouter(ctx: AppContext): Router {
  const router = Router();
  router.get('/.well-known/openid-configuration', openCors, openidConfiguration(ctx));
  router.get('/jwks', openCors, jwksHandler(ctx));
  router.get('/smart-style.json', openCors, smartStyle);
  router.options(['/token', '/register', '/revoke', '/userinfo', '/introspect'], openCors);
  router.post('/register', openCors, express.json({ limit: '64kb' }), registerHandler(ctx));
  router.post('/token', openCors, noCache, formBody, rejectDuplicateParams, tokenHandler(ctx));
  router.post('/introspect', noCache, formBody, rejectDuplicateParams, introspectHandler(ctx));
  router.post('/revoke', openCors, noCache, formBody, rejectDuplicateParams, revokeHandler(ctx));
  router.get('/userinfo', openCors, userinfoHandler(ctx));
  router.post('/userinfo', openCors, formBody, userinfoHandler(ctx));
  router.get('/logout', logoutHandler(ctx));
  router.post('/logout', formBody, logoutHandler(ctx));
  router.use(manageRouter(ctx));
  router.get('/authorize', authorizeHandler(ctx));
  router.post('/authorize', formBody, authorizeHandler(ctx));
  router.use(interactionRouter(ctx));
  router.get('/assets/pages.css', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=3600').type('text/css').send(pagesCss);
  });
  return router;
}

/** SMART discovery at the FHIR base and the site root; mounted before any FHIR router. */
export function smartConfigurationRouter(ctx: AppContext): Router {
  const router = Router();
  router.get(
    ['/.well-known/smart-configuration', '/fhir/r4/.well-known/smart-configuration', '/r4/.well-known/smart-configuration'],
    openCors,
    smartConfiguration(ctx),
  );
  return router;
}
