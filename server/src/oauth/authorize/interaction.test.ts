import { describe, expect, it } from 'vitest';
import { ScopeSet } from '../../smart/scopes.js';
import type { Interaction, SsoSession } from '../browser-state.js';
import type { LaunchRow } from '../store/models.js';
import { nextStep } from './interaction.js';

function interaction(loginKind: 'patient' | 'staff', scope: string, extra: { launch?: Partial<LaunchRow>; patientId?: string } = {}): Interaction {
  return {
    id: 'i',
    csrf: 'c',
    loginKind,
    expiresAt: 0,
    ...(extra.patientId ? { patientId: extra.patientId } : {}),
    request: { client: {} as never, redirectUri: '', scopes: ScopeSet.parse(scope), codeChallenge: '', state: undefined, nonce: undefined, launch: extra.launch as LaunchRow | undefined },
  };
}

const staff = (userId: string): SsoSession => ({ userKind: 'staff', userId, username: 'u', displayName: 'U', authTime: new Date(0), csrf: 'c' });
const patient: SsoSession = { userKind: 'patient', userId: 'p1', username: 'p', displayName: 'P', patientId: 'p1', authTime: new Date(0), csrf: 'c' };

describe('nextStep', () => {
  it.each([
    ['no session', interaction('patient', 'patient/Observation.rs'), undefined, 'login'],
    ['a staff session for a patient app', interaction('patient', 'patient/Observation.rs'), staff('1'), 'login'],
    ['a patient session for a patient app', interaction('patient', 'launch/patient patient/Observation.rs'), patient, 'consent'],
    ['a patient session for a provider app', interaction('staff', 'user/Patient.rs'), patient, 'login'],
    ['staff, launch/patient, nothing picked', interaction('staff', 'launch/patient user/Patient.rs'), staff('1'), 'patient'],
    ['staff, launch/patient, picked', interaction('staff', 'launch/patient user/Patient.rs', { patientId: 'p2' }), staff('1'), 'consent'],
    ['staff, no launch/patient', interaction('staff', 'user/Patient.rs'), staff('1'), 'consent'],
    ['EHR launch by this user', interaction('staff', 'launch user/Patient.rs', { launch: { staffUserId: 1, patientId: 'p' } }), staff('1'), 'consent'],
    ['EHR launch by another user', interaction('staff', 'launch user/Patient.rs', { launch: { staffUserId: 2, patientId: 'p' } }), staff('1'), 'login'],
  ] as const)('%s → %s', (_name, current, session, expected) => {
    expect(nextStep(current, session)).toBe(expected);
  });
});
