import { randomUUID } from 'node:crypto';
import { issueAccessToken } from '../../server/src/oauth/access-token.js';
import { oauthServices } from '../../server/src/oauth/services.js';
import type { ClientRecord } from '../../server/src/oauth/store/client-store.js';
import type { RunningServer } from '../../server/src/server.js';

/**
 * An `Authorization` header with a real access token of the server, for tests whose subject is
 * not OAuth itself: a backend client stored directly (no registration or assertion dance), and a
 * token for it as the token endpoint would issue — a patient token when `patientId` is given.
 */
export async function bearerHeader(server: RunningServer, scope: string, patientId: string | null = null): Promise<{ authorization: string }> {
  const services = oauthServices(server.context);
  const clientId = `test-${randomUUID()}`;
  await services.clients.create({
    clientId,
    clientName: 'Test client',
    secretHash: null,
    tokenEndpointAuthMethod: 'private_key_jwt',
    metadata: { client_name: 'Test client' } as ClientRecord['metadata'],
    scope,
    profile: 'backend-service',
    enabled: true,
  });
  const { accessToken } = await issueAccessToken(server.context, services, {
    clientId,
    grantId: null,
    userKind: patientId ? 'patient' : 'system',
    userId: patientId ?? clientId,
    scope,
    patientId,
    lifetimeSeconds: 300,
  });
  return { authorization: `Bearer ${accessToken}` };
}
