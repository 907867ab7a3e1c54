import { randomBytes } from 'node:crypto';
import { hashPassword } from '../auth/password.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { PatientAccessStore } from './store/misc-stores.js';

// No look-alike characters (0/O, 1/l/I): patients type these from a printout.
const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';

function randomWord(length: number): string {
  const bytes = randomBytes(length * 2);
  let out = '';
  for (let i = 0; out.length < length && i < bytes.length; i++) {
    const byte = bytes[i]!;
    if (byte < 248) out += alphabet[byte % alphabet.length]; // 248 = 8 × 31: no modulo bias
  }
  return out.length === length ? out : randomWord(length);
}

/**
 * Generates (or regenerates) a patient's API credentials: the password is returned once and
 * stored only as a scrypt hash; a regenerated password replaces the old one.
 */
export async function generatePatientCredentials(
  patients: PatientAccessStore,
  audit: AuditLog,
  patientId: string,
  by: { actor: string; ip: string | null },
): Promise<{ username: string; password: string }> {
  const existing = await patients.get(patientId);
  const username = existing?.username ?? `pt-${randomWord(8)}`;
  const password = `${randomWord(5)}-${randomWord(5)}-${randomWord(5)}-${randomWord(5)}`;
  await patients.setCredentials(patientId, username, await hashPassword(password));
  await audit.record({ type: 'patient.api.credentials', outcome: 'success', actor: by.actor, ip: by.ip, patientId, detail: { regenerated: Boolean(existing?.username) } });
  return { username, password };
}
