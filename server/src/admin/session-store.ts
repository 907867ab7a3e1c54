import { createHash, randomBytes } from 'node:crypto';
import type { AdminSessionRow, FoundationModels, UserRow } from '../db/models/foundation.js';

export const sessionCookie = '__Host-inpracsys_admin';

export interface StaffSession {
  session: AdminSessionRow;
  user: UserRow;
}

const hash = (value: string) => createHash('sha256').update(value).digest('hex');

/**
 * Staff sessions: the cookie holds a random id, the database only its hash. A session idle for
 * longer than `idleMs` is gone; activity is written at most once a minute.
 */
export class SessionStore {
  constructor(
    private readonly models: FoundationModels,
    private readonly idleMs: number,
  ) {}

  async create(userId: number): Promise<{ sessionId: string; csrfToken: string }> {
    const sessionId = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(32).toString('base64url');
    await this.models.AdminSession.create({ idHash: hash(sessionId), userId, csrfToken, lastSeenAt: new Date() });
    return { sessionId, csrfToken };
  }

  async resolve(sessionId: string | undefined, now = new Date()): Promise<StaffSession | null> {
    if (!sessionId) return null;
    const session = await this.models.AdminSession.findByPk(hash(sessionId));
    if (!session) return null;
    if (now.getTime() - session.lastSeenAt.getTime() > this.idleMs) {
      await session.destroy();
      return null;
    }
    const user = await this.models.User.findByPk(session.userId);
    if (!user || user.disabled) {
      await session.destroy();
      return null;
    }
    if (now.getTime() - session.lastSeenAt.getTime() > 60_000) await session.update({ lastSeenAt: now });
    return { session, user };
  }

  async destroy(sessionId: string): Promise<void> {
    await this.models.AdminSession.destroy({ where: { idHash: hash(sessionId) } });
  }
}
