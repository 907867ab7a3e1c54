import type { Response } from 'express';
import { sessionCookie } from './session-store.js';

export function setSessionCookie(res: Response, sessionId: string): void {
  res.cookie(sessionCookie, sessionId, { httpOnly: true, secure: true, sameSite: 'strict', path: '/' });
}

export function clearSessionCookie(res: Response): void {
  res.clearCookie(sessionCookie, { httpOnly: true, secure: true, sameSite: 'strict', path: '/' });
}
