import type { AuditLog } from '../audit/audit-log.js';
import type { FoundationModels, UserRow } from '../db/models/foundation.js';
import { HttpError } from '../http/errors.js';
import { LoginThrottle } from './login-throttle.js';
import { decoyHash, verifyPassword } from './password.js';

/** Checks a staff username and password, with throttling per user and per IP and an audit trail. */
export class StaffLogin {
  private readonly throttle: LoginThrottle;

  constructor(
    private readonly models: FoundationModels,
    private readonly audit: AuditLog,
    throttle = new LoginThrottle({ maxFailures: 5, lockMs: 15 * 60_000 }),
  ) {
    this.throttle = throttle;
  }

  /** Returns the user, or throws 401 (wrong credentials) or 429 (too many failures) without saying which part was wrong. */
  async login(username: string, password: string, ip: string, via: string): Promise<UserRow> {
    const keys = [`user:${username.toLowerCase()}`, `ip:${ip}`];
    const wait = this.throttle.retryAfter(keys);
    if (wait > 0) {
      await this.audit.record({ type: `${via}.login`, outcome: 'failure', actor: username, ip, detail: { reason: 'throttled' } });
      throw new HttpError(429, `too many failed logins; try again in ${Math.ceil(wait / 60)} minutes`, { 'Retry-After': String(wait) });
    }
    const user = await this.models.User.findOne({ where: { username } });
    const valid = await verifyPassword(password, user?.passwordHash ?? (await decoyHash()));
    if (!user || !valid || user.disabled) {
      this.throttle.fail(keys);
      await this.audit.record({ type: `${via}.login`, outcome: 'failure', actor: username, ip });
      throw new HttpError(401, 'wrong username or password');
    }
    this.throttle.succeed(keys);
    await this.audit.record({ type: `${via}.login`, outcome: 'success', actor: user.username, ip });
    return user;
  }
}
