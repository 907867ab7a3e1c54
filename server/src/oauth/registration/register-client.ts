import { randomUUID } from 'node:crypto';
import type { AuditLog } from '../../audit/audit-log.js';
import { randomToken, tokenHash } from '../secrets.js';
import type { ClientRecord, ClientStore } from '../store/client-store.js';
import { classifyProfile, startsEnabled, validateClientMetadata, type ClientMetadata } from './metadata.js';

/** RFC 7591 §3.2.1 response: the metadata echoed plus what the server assigned. */
export interface RegistrationResponse extends ClientMetadata {
  client_id: string;
  client_id_issued_at: number;
  client_secret?: string;
  client_secret_expires_at?: number;
}

export function registrationResponse(client: ClientRecord, secret?: string): RegistrationResponse {
  return {
    ...client.metadata,
    client_id: client.clientId,
    client_id_issued_at: Math.floor(client.createdAt.getTime() / 1000),
    ...(secret ? { client_secret: secret, client_secret_expires_at: 0 } : {}),
  };
}

/**
 * Registers a client under DESIGN §5 rules; used by `/oauth2/register` and by the admin API
 * (`POST /admin/api/clients`). The secret is returned once and stored only as a hash.
 */
export async function registerClient(
  clients: ClientStore,
  audit: AuditLog,
  input: unknown,
  by: { actor?: string | null; ip?: string | null; via: string },
): Promise<{ client: ClientRecord; response: RegistrationResponse }> {
  let validated: ReturnType<typeof validateClientMetadata>;
  try {
    validated = validateClientMetadata(input);
  } catch (error) {
    await audit.record({ type: 'client.register', outcome: 'failure', actor: by.actor, ip: by.ip, detail: { via: by.via, reason: (error as Error).message } });
    throw error;
  }
  const { metadata, scopes } = validated;
  const symmetric = metadata.token_endpoint_auth_method === 'client_secret_basic' || metadata.token_endpoint_auth_method === 'client_secret_post';
  const secret = symmetric ? randomToken(32) : undefined;
  const client = await clients.create({
    clientId: randomUUID(),
    clientName: metadata.client_name,
    secretHash: secret ? tokenHash(secret) : null,
    tokenEndpointAuthMethod: metadata.token_endpoint_auth_method,
    metadata,
    scope: scopes.toString(),
    profile: classifyProfile(scopes),
    enabled: startsEnabled(metadata, scopes),
  });
  await audit.record({
    type: 'client.register',
    outcome: 'success',
    actor: by.actor,
    ip: by.ip,
    clientId: client.clientId,
    detail: { via: by.via, profile: client.profile, enabled: client.enabled },
  });
  return { client, response: registrationResponse(client, secret) };
}
