import type { AuditLog } from '../audit/audit-log.js';
import type { FoundationModels, UserRow } from '../db/models/foundation.js';
import { HttpError } from '../http/errors.js';
import { LoginThrottle } from './login-throttle.js';
import { decoyHash, verifyPassword } from './password.js';

const lockMs = 15 * 60_000;

/**
 * Checks a staff username and password, with an audit trail. Five failures lock a username for
 * 15 minutes; an address is allowed more (20), since colleagues may mistype from one machine.
 */
export class StaffLogin {
  private readonly perUser = new LoginThrottle({ maxFailures: 5, lockMs });
  private readonly perAddress = new LoginThrottle({ maxFailures: 20, lockMs });

  constructor(
    private readonly models: FoundationModels,
    private readonly audit: AuditLog,
  ) {}

  /** Returns the user, or throws 401 (wrong credentials) or 429 (too many failures) without saying which part was wrong. */
  async login(username: string, password: string, ip: string, via: string): Promise<UserRow> {
    const userKey = [username.toLowerCase()];
    const addressKey = [ip];
    const wait = Math.max(this.perUser.retryAfter(userKey), this.perAddress.retryAfter(addressKey));
    if (wait > 0) {
      await this.audit.record({ type: `${via}.login`, outcome: 'failure', actor: username, ip, detail: { reason: 'throttled' } });
      throw new HttpError(429, `too many failed logins; try again in ${Math.ceil(wait / 60)} minutes`, { 'Retry-After': String(wait) });
    }
    const user = await this.models.User.findOne({ where: { username } });
    const valid = await verifyPassword(password, user?.passwordHash ?? (await decoyHash()));
    if (!user || !valid || user.disabled) {
      this.perUser.fail(userKey);
      this.perAddress.fail(addressKey);
      await this.audit.record({ type: `${via}.login`, outcome: 'failure', actor: username, ip });
      throw new HttpError(401, 'wrong username or password');
    }
    this.perUser.succeed(userKey);
    this.perAddress.succeed(addressKey);
    await this.audit.record({ type: `${via}.login`, outcome: 'success', actor: user.username, ip });
    return user;
  }
}
