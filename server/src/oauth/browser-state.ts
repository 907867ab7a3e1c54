import { randomToken, tokenHash } from './secrets.js';
import type { AuthorizationRequest } from './authorize/types.js';

/** Who is signed in to the authorization server in this browser (single sign-on across apps). */
export interface SsoSession {
  userKind: 'patient' | 'staff';
  userId: string;
  username: string;
  displayName: string;
  patientId?: string;
  practitionerId?: string | null;
  authTime: Date;
  /** For the forms of the patient's app-access page. */
  csrf: string;
}

/** A validated authorization request waiting for login, patient choice and consent. */
export interface Interaction {
  id: string;
  csrf: string;
  request: AuthorizationRequest;
  loginKind: 'patient' | 'staff';
  patientId?: string;
  expiresAt: number;
}

/**
 * In-memory, expiring entries keyed by the hash of a random id. Memory is right for both:
 * one server process, short lives, and a restart only means logging in again.
 */
export class ExpiringMap<T> {
  private readonly entries = new Map<string, { value: T; until: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly max = 10_000,
  ) {}

  put(value: T): string {
    this.sweep();
    const id = randomToken(24);
    this.entries.set(tokenHash(id), { value, until: Date.now() + this.ttlMs });
    return id;
  }

  get(id: string | undefined): T | undefined {
    if (!id) return undefined;
    const entry = this.entries.get(tokenHash(id));
    if (!entry || entry.until <= Date.now()) return undefined;
    return entry.value;
  }

  delete(id: string | undefined): void {
    if (id) this.entries.delete(tokenHash(id));
  }

  private sweep(): void {
    const now = Date.now();
    for (const [key, entry] of this.entries) if (entry.until <= now) this.entries.delete(key);
    if (this.entries.size >= this.max) this.entries.clear();
  }
}

export class SsoSessions extends ExpiringMap<SsoSession> {
  constructor() {
    super(8 * 3600_000);
  }
}

export class Interactions {
  private readonly map = new ExpiringMap<Interaction>(15 * 60_000);

  create(request: AuthorizationRequest, loginKind: 'patient' | 'staff'): Interaction {
    const interaction: Interaction = { id: '', csrf: randomToken(24), request, loginKind, expiresAt: Date.now() + 15 * 60_000 };
    interaction.id = this.map.put(interaction);
    return interaction;
  }

  get(id: string | undefined): Interaction | undefined {
    return this.map.get(id);
  }

  delete(id: string): void {
    this.map.delete(id);
  }
}

export const ssoCookie = 'inpracsys_oauth_session';
export const interactionCookie = 'inpracsys_oauth_interaction';

/** Lax, so the cookie comes along when an app sends the browser to /oauth2/authorize. */
export const browserCookieOptions = { httpOnly: true, secure: true, sameSite: 'lax' as const, path: '/oauth2' };
