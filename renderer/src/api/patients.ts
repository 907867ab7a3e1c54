// Reads the patient shapes of DESIGN §8 leniently: a FHIR Patient with its API access state,
// either side by side ({patient, apiAccess}) or merged into one object.
import { api } from './client';
import type { FhirPatient, HumanName, LaunchClient, ListResponse, PatientApiAccess, PatientDetail } from './types';

type Loose = Record<string, unknown>;

export interface PatientView {
  id: string;
  resource: FhirPatient;
  /** The API sent the whole FHIR Patient (not just a summary), so missing fields really are missing. */
  fullResource: boolean;
  name: string;
  access: PatientApiAccess;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function toPatientView(value: unknown): PatientView {
  const raw = (value ?? {}) as Loose;
  const resource = ((raw.resourceType === 'Patient' ? raw : (raw.patient ?? raw.resource)) ?? raw) as FhirPatient;
  const accessRaw = (raw.apiAccess ?? raw.access ?? raw.api ?? {}) as Loose;
  const username = text(accessRaw.username) ?? text(raw.apiUsername) ?? text(raw.username) ?? null;
  const access: PatientApiAccess = {
    username,
    hasCredentials:
      typeof accessRaw.hasCredentials === 'boolean'
        ? accessRaw.hasCredentials
        : typeof raw.hasCredentials === 'boolean'
          ? raw.hasCredentials
          : username !== null,
    optedOut: accessRaw.optedOut === true || accessRaw.optOut === true || raw.optedOut === true || raw.optOut === true,
    authorizedAppCount:
      typeof accessRaw.authorizedApps === 'number' ? accessRaw.authorizedApps : Array.isArray(accessRaw.authorizedApps) ? accessRaw.authorizedApps.length : undefined,
    apps: Array.isArray(accessRaw.authorizedApps)
      ? (accessRaw.authorizedApps as PatientApiAccess['apps'])
      : Array.isArray(accessRaw.apps) ? (accessRaw.apps as PatientApiAccess['apps']) : Array.isArray(raw.apps) ? (raw.apps as PatientApiAccess['apps']) : undefined,
  };
  const id = text(resource.id) ?? text(raw.id) ?? '';
  return { id, resource: { ...resource, id }, fullResource: resource.resourceType === 'Patient', name: patientName(resource.name) ?? text(raw.name) ?? `Patient/${id}`, access };
}

export function patientName(names: HumanName[] | undefined): string | undefined {
  if (!Array.isArray(names) || names.length === 0) {
    return undefined;
  }
  const name = names.find((candidate) => candidate.use === 'official') ?? names.find((candidate) => candidate.use !== 'old') ?? names[0]!;
  if (name.text !== undefined && name.text !== '') {
    return name.text;
  }
  const parts = [...(name.prefix ?? []), ...(name.given ?? []), name.family ?? '', ...(name.suffix ?? [])].filter((part) => part !== '');
  return parts.length === 0 ? undefined : parts.join(' ');
}

export function genderLabel(gender: string | undefined): string {
  switch (gender) {
    case 'female':
      return 'Female';
    case 'male':
      return 'Male';
    case 'other':
      return 'Other';
    case 'unknown':
      return 'Unknown';
    default:
      return '—';
  }
}

export function patientPath(patientId: string): string {
  return `/admin/api/patients/${encodeURIComponent(patientId)}`;
}

/** Ends the patient's authorization of one app and every token it holds; answers the patient as it now is. */
export function revokePatientApp(patientId: string, clientId: string): Promise<PatientDetail> {
  return api.delete<PatientDetail>(`${patientPath(patientId)}/authorized-apps/${encodeURIComponent(clientId)}`);
}

export function setPatientOptOut(patientId: string, optOut: boolean): Promise<PatientDetail> {
  return api.put<PatientDetail>(`${patientPath(patientId)}/api-access`, { optOut });
}

/** Enabled EHR-launch apps, open to clinicians as well as administrators. */
export const launchClientsPath = '/admin/api/launch/clients';
export type LaunchClientList = ListResponse<LaunchClient>;
