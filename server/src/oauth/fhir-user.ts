import type { AppContext } from '../context.js';
import type { UserKind } from './store/models.js';
import { fhirUserOf } from './subject.js';

/** The fhirUser of a patient or staff user (staff: their linked Practitioner, when set). */
export async function resolveFhirUser(ctx: AppContext, userKind: UserKind, userId: string): Promise<string | null> {
  const { fhirBase } = ctx.urls();
  if (userKind === 'patient') return fhirUserOf(fhirBase, { kind: 'patient', patientId: userId });
  if (userKind !== 'staff') return null;
  const user = await ctx.models.User.findByPk(Number(userId));
  return fhirUserOf(fhirBase, { kind: 'staff', practitionerId: user?.practitionerId ?? null });
}
