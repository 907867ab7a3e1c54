import type { FoundationModels } from '../db/models/foundation.js';
import type { Logger } from '../log.js';

export interface AuditEntry {
  /** e.g. admin.login, oauth.token.issue, client.disable */
  type: string;
  outcome: 'success' | 'failure';
  actor?: string | null;
  clientId?: string | null;
  patientId?: string | null;
  ip?: string | null;
  /** Never tokens, secrets or clinical content. */
  detail?: Record<string, unknown>;
}

/** Security-relevant events, newest first for the Audit Log screen. A failed write is logged, never fatal. */
export class AuditLog {
  constructor(
    private readonly models: FoundationModels,
    private readonly log: Logger,
  ) {}

  async record(entry: AuditEntry): Promise<void> {
    try {
      await this.models.AuditEvent.create({
        recorded: new Date(),
        type: entry.type,
        outcome: entry.outcome,
        actor: entry.actor ?? null,
        clientId: entry.clientId ?? null,
        patientId: entry.patientId ?? null,
        ip: entry.ip ?? null,
        detail: entry.detail ? JSON.stringify(entry.detail) : null,
      });
    } catch (error) {
      this.log.error({ err: error, type: entry.type }, 'audit event not recorded');
    }
  }
}
