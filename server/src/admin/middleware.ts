import { timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import type { StaffRole } from '../db/models/foundation.js';
import { HttpError } from '../http/errors.js';
import { sessionCookie, type SessionStore, type StaffSession } from './session-store.js';

declare module 'express-serve-static-core' {
  interface Request {
    staff?: StaffSession;
  }
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

function sameToken(a: string | undefined, b: string): boolean {
  if (!a) return false;
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export function cookieSessionId(req: Request): string | undefined {
  const cookies = req.cookies as Record<string, string> | undefined;
  return cookies?.[sessionCookie];
}

/** 401 without a live staff session; 403 when a state-changing request lacks the session's CSRF token. */
export function requireSession(sessions: SessionStore): RequestHandler {
  return async (req, _res, next) => {
    const staff = await sessions.resolve(cookieSessionId(req));
    if (!staff) throw new HttpError(401, 'not logged in or the session expired');
    if (!safeMethods.has(req.method) && !sameToken(req.get('X-CSRF-Token'), staff.session.csrfToken)) {
      throw new HttpError(403, 'missing or wrong X-CSRF-Token header');
    }
    req.staff = staff;
    next();
  };
}

export function requireRole(...roles: StaffRole[]): RequestHandler {
  return (req, _res, next) => {
    if (!req.staff || !roles.includes(req.staff.user.role)) throw new HttpError(403, 'your role may not do this');
    next();
  };
}

export function publicUser(user: StaffSession['user']) {
  return { id: user.id, username: user.username, displayName: user.displayName, role: user.role, practitionerId: user.practitionerId ?? null };
}
