import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { HttpError } from '../../http/errors.js';
import { parseInput } from '../../http/validate.js';
import { registerClient } from '../../oauth/registration/register-client.js';
import { oauthServices, type OAuthServices } from '../../oauth/services.js';
import type { ClientRecord } from '../../oauth/store/client-store.js';
import type { UserKind } from '../../oauth/store/models.js';
import { accessTokenStatus, tokenUser } from '../../oauth/token-inspection.js';
import { requireRole } from '../middleware.js';
import { refreshTokenViews } from './tokens.js';

export function clientView(client: ClientRecord) {
  return {
    clientId: client.clientId,
    name: client.clientName,
    enabled: client.enabled,
    clientType: client.tokenEndpointAuthMethod === 'none' ? ('public' as const) : ('confidential' as const),
    profile: client.profile,
    scopes: client.scope.split(' ').filter(Boolean),
    redirectUris: client.metadata.redirect_uris,
    grantTypes: client.metadata.grant_types,
    tokenEndpointAuthMethod: client.tokenEndpointAuthMethod,
    initiateLoginUri: client.metadata.initiate_login_uri ?? null,
    jwksUri: client.metadata.jwks_uri ?? null,
    contacts: client.metadata.contacts ?? [],
    registeredAt: client.createdAt.toISOString(),
  };
}

/** Authenticated API Users: one entry per user with an active grant for the client. */
export async function clientUsers(services: OAuthServices, clientId: string) {
  const grants = await services.tokens.listGrants({ clientId, active: true });
  const users = new Map<string, { userId: string; username: string; kind: UserKind; patientId: string | null; authorizedAt: string; scope: string }>();
  for (const grant of grants) {
    const userId = `${grant.userKind}:${grant.userId}`;
    if (users.has(userId)) continue; // newest first: keep the latest authorization
    users.set(userId, { userId, username: grant.username, kind: grant.userKind, patientId: grant.patientId ?? null, authorizedAt: grant.createdAt.toISOString(), scope: grant.scope });
  }
  return [...users.values()];
}

export async function clientTokens(services: OAuthServices, clientId: string) {
  const rows = await services.tokens.listAccessTokens(clientId);
  return Promise.all(
    rows.map(async (row) => ({
      jti: row.jti,
      user: await tokenUser(services, row),
      scope: row.scope,
      patientId: row.patientId ?? null,
      issuedAt: row.issuedAt.toISOString(),
      expiresAt: row.expiresAt.toISOString(),
      status: await accessTokenStatus(services, row),
    })),
  );
}

const listQuery = z.object({ q: z.string().max(200).optional(), status: z.enum(['enabled', 'disabled', 'all']).optional() });
const userIdRule = z.string().regex(/^(patient|staff):[^:]+$/, 'userId is kind:id, e.g. patient:123');
const refreshTokenPage = z.object({ before: z.string().min(1).max(64).optional(), limit: z.coerce.number().int().min(1).max(200).default(50) });

/** DESIGN §8 client routes (administrators only). */
export function clientRoutes(ctx: AppContext): Router {
  const router = Router();
  const services = oauthServices(ctx);
  const by = (req: { staff?: { user: { username: string } }; ip?: string | undefined }) => ({ actor: req.staff?.user.username ?? null, ip: req.ip ?? null });
  router.use('/clients', requireRole('admin'));

  async function load(clientId: string): Promise<ClientRecord> {
    const client = await services.clients.get(clientId);
    if (!client) throw new HttpError(404, `no client ${clientId}`);
    return client;
  }

  router.get('/clients', async (req, res) => {
    const { q, status } = parseInput(listQuery, req.query);
    const items = (await services.clients.list({ ...(q ? { q } : {}), ...(status === 'enabled' ? { enabled: true } : status === 'disabled' ? { enabled: false } : {}) })).map(clientView);
    res.json({ items, total: items.length });
  });

  // Same rules and RFC 7591 shapes as /oauth2/register, but by an administrator and not rate-limited.
  router.post('/clients', async (req, res) => {
    const { response } = await registerClient(services.clients, ctx.audit, req.body, { ...by(req), via: 'admin' });
    res.status(201).json(response);
  });

  router.get('/clients/:clientId', async (req, res) => {
    const client = await load(req.params.clientId);
    res.json({ ...clientView(client), users: await clientUsers(services, client.clientId), tokens: await clientTokens(services, client.clientId) });
  });

  for (const action of ['enable', 'disable'] as const) {
    router.post(`/clients/:clientId/${action}`, async (req, res) => {
      await load(req.params.clientId as string);
      const client = await services.revocation.setClientEnabled(req.params.clientId as string, action === 'enable', by(req));
      res.json(clientView(client!));
    });
  }

  router.get('/clients/:clientId/users', async (req, res) => {
    const client = await load(req.params.clientId);
    const items = await clientUsers(services, client.clientId);
    res.json({ items, total: items.length });
  });

  router.post('/clients/:clientId/users/:userId/revoke', async (req, res) => {
    const client = await load(req.params.clientId);
    const userId = parseInput(userIdRule, req.params.userId);
    const [kind, id] = userId.split(':') as [UserKind, string];
    const grants = await services.tokens.listGrants({ clientId: client.clientId, userKind: kind, userId: id });
    if (grants.length === 0) throw new HttpError(404, `${userId} never authorized this client`);
    const revokedGrants = await services.revocation.revokeUser(client.clientId, kind, id, by(req));
    res.json({ userId, username: grants[0]!.username, kind, revoked: true, revokedGrants });
  });

  router.get('/clients/:clientId/tokens', async (req, res) => {
    const client = await load(req.params.clientId);
    const items = await clientTokens(services, client.clientId);
    res.json({ items, total: items.length });
  });

  // Rotation adds a token per refresh, so the list pages: `next` is the `before` of the following page.
  router.get('/clients/:clientId/refresh-tokens', async (req, res) => {
    const client = await load(req.params.clientId);
    const { before, limit } = parseInput(refreshTokenPage, req.query);
    const after = before === undefined ? undefined : await services.tokens.getRefreshTokenById(before);
    if (after === null || (after && after.clientId !== client.clientId)) throw new HttpError(400, 'before: not a refresh token of this client');
    const rows = await services.tokens.listRefreshTokens(client.clientId, { ...(after ? { before: after } : {}), limit: limit + 1 });
    const page = rows.slice(0, limit);
    res.json({
      items: await refreshTokenViews(services, page),
      total: await services.tokens.countRefreshTokens(client.clientId),
      next: rows.length > limit ? page.at(-1)!.id : null,
    });
  });

  return router;
}
