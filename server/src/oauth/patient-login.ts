import type { AuditLog } from '../audit/audit-log.js';
import { LoginThrottle } from '../auth/login-throttle.js';
import { decoyHash, verifyPassword } from '../auth/password.js';
import type { PatientAccessStore } from './store/misc-stores.js';

export type PatientLoginResult =
  | { ok: true; patientId: string; username: string }
  | { ok: false; reason: 'wrong-credentials' | 'opted-out' | 'throttled'; retryAfter?: number };

/** Patients log in with the API credentials a clinician generated for them (DESIGN §5). */
export class PatientLogin {
  private readonly throttle = new LoginThrottle({ maxFailures: 5, lockMs: 15 * 60_000 });

  constructor(
    private readonly patients: PatientAccessStore,
    private readonly audit: AuditLog,
  ) {}

  async login(username: string, password: string, ip: string, clientId: string | null): Promise<PatientLoginResult> {
    const keys = [`patient:${username.toLowerCase()}`, `ip:${ip}`];
    const wait = this.throttle.retryAfter(keys);
    if (wait > 0) {
      await this.audit.record({ type: 'oauth.login', outcome: 'failure', actor: username, clientId, ip, detail: { kind: 'patient', reason: 'throttled' } });
      return { ok: false, reason: 'throttled', retryAfter: wait };
    }
    const row = await this.patients.findByUsername(username);
    const valid = await verifyPassword(password, row?.passwordHash ?? (await decoyHash()));
    if (!row || !valid) {
      this.throttle.fail(keys);
      await this.audit.record({ type: 'oauth.login', outcome: 'failure', actor: username, clientId, ip, detail: { kind: 'patient' } });
      return { ok: false, reason: 'wrong-credentials' };
    }
    this.throttle.succeed(keys);
    if (row.optedOut) {
      await this.audit.record({ type: 'oauth.login', outcome: 'failure', actor: username, clientId, patientId: row.patientId, ip, detail: { kind: 'patient', reason: 'opted out' } });
      return { ok: false, reason: 'opted-out' };
    }
    await this.audit.record({ type: 'oauth.login', outcome: 'success', actor: username, clientId, patientId: row.patientId, ip, detail: { kind: 'patient' } });
    return { ok: true, patientId: row.patientId, username: row.username! };
  }
}
