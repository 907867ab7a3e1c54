import type { ClientMetadata, ClientProfile } from '../registration/metadata.js';
import type { ClientRow, OAuthModels } from './models.js';

export interface ClientRecord {
  clientId: string;
  clientName: string;
  secretHash: string | null;
  tokenEndpointAuthMethod: ClientMetadata['token_endpoint_auth_method'];
  metadata: ClientMetadata;
  scope: string;
  profile: ClientProfile;
  enabled: boolean;
  createdAt: Date;
}

export interface ClientStore {
  create(record: Omit<ClientRecord, 'createdAt'>): Promise<ClientRecord>;
  get(clientId: string): Promise<ClientRecord | null>;
  list(filter: { q?: string; enabled?: boolean }): Promise<ClientRecord[]>;
  setEnabled(clientId: string, enabled: boolean): Promise<ClientRecord | null>;
  countEnabled(): Promise<number>;
}

function toRecord(row: ClientRow): ClientRecord {
  return {
    clientId: row.clientId,
    clientName: row.clientName,
    secretHash: row.secretHash ?? null,
    tokenEndpointAuthMethod: row.tokenEndpointAuthMethod as ClientRecord['tokenEndpointAuthMethod'],
    metadata: JSON.parse(row.metadata) as ClientMetadata,
    scope: row.scope,
    profile: row.profile as ClientProfile,
    enabled: row.enabled,
    createdAt: row.createdAt,
  };
}

export class SequelizeClientStore implements ClientStore {
  constructor(private readonly models: OAuthModels) {}

  async create(record: Omit<ClientRecord, 'createdAt'>): Promise<ClientRecord> {
    const row = await this.models.Client.create({ ...record, metadata: JSON.stringify(record.metadata) });
    return toRecord(row);
  }

  async get(clientId: string): Promise<ClientRecord | null> {
    const row = await this.models.Client.findByPk(clientId);
    return row ? toRecord(row) : null;
  }

  async list(filter: { q?: string; enabled?: boolean }): Promise<ClientRecord[]> {
    const rows = await this.models.Client.findAll({
      where: filter.enabled === undefined ? {} : { enabled: filter.enabled },
      order: [['createdAt', 'DESC']],
    });
    // A practice has a handful of clients: filtering here keeps the search case-insensitive on every database.
    const q = filter.q?.toLowerCase();
    return rows.map(toRecord).filter((c) => !q || c.clientName.toLowerCase().includes(q) || c.clientId.toLowerCase().includes(q));
  }

  async setEnabled(clientId: string, enabled: boolean): Promise<ClientRecord | null> {
    const row = await this.models.Client.findByPk(clientId);
    if (!row) return null;
    await row.update({ enabled });
    return toRecord(row);
  }

  countEnabled(): Promise<number> {
    return this.models.Client.count({ where: { enabled: true } });
  }
}
