import type { Patient } from '@medplum/fhirtypes';
import type { Sequelize } from 'sequelize';
import { FhirStore, resourceColumns } from '../fhir/storage/fhir-store.js';
import { rawSql, sql } from '../fhir/storage/sql.js';
import { displayName } from './patient-demographics.js';

export interface PatientSummary {
  id: string;
  name: string;
  birthDate?: string;
  gender?: string;
}

/** Patients for the picker, the admin patient list and the consent page's patient name. */
export interface PatientDirectory {
  search(query: string, limit?: number): Promise<PatientSummary[]>;
  get(id: string): Promise<PatientSummary | null>;
  /** The stored FHIR Patient itself, for the demographics page. */
  resource(id: string): Promise<Patient | null>;
}

function summary(patient: Patient): PatientSummary {
  // The same name the demographics page shows, so the list and the page agree.
  return { id: String(patient.id), name: displayName(patient), ...(patient.birthDate ? { birthDate: patient.birthDate } : {}), ...(patient.gender ? { gender: patient.gender } : {}) };
}

/**
 * Reads Patient resources from the FHIR store. The search filters names in memory over at most
 * a few thousand rows, which suits one practice; a name index query can replace it later.
 */
export class FhirPatientDirectory implements PatientDirectory {
  private readonly store: FhirStore;

  constructor(sequelize: Sequelize) {
    this.store = new FhirStore(sequelize);
  }

  async search(query: string, limit = 50): Promise<PatientSummary[]> {
    const rows = await this.store.selectResources(
      sql`SELECT ${rawSql(resourceColumns)} FROM fhir_resources WHERE resource_type = ${'Patient'} AND deleted = ${false} ORDER BY last_updated DESC LIMIT ${5000}`,
    );
    const q = query.trim().toLowerCase();
    return rows
      .map((row) => summary(row.resource as Patient))
      .filter((p) => !q || p.name.toLowerCase().includes(q) || p.id.toLowerCase() === q)
      .slice(0, limit);
  }

  async get(id: string): Promise<PatientSummary | null> {
    const patient = await this.resource(id);
    return patient ? summary(patient) : null;
  }

  async resource(id: string): Promise<Patient | null> {
    const stored = await this.store.current('Patient', id);
    return stored && !stored.deleted ? (stored.resource as Patient) : null;
  }
}
