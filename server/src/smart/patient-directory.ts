import type { Sequelize } from 'sequelize';
import { FhirStore, resourceColumns } from '../fhir/storage/fhir-store.js';
import { rawSql, sql } from '../fhir/storage/sql.js';

export interface PatientSummary {
  id: string;
  name: string;
  birthDate?: string;
}

/** Patients for the picker, the admin patient list and the consent page's patient name. */
export interface PatientDirectory {
  search(query: string, limit?: number): Promise<PatientSummary[]>;
  get(id: string): Promise<PatientSummary | null>;
}

interface HumanName {
  text?: string;
  family?: string;
  given?: string[];
}

export function displayName(resource: Record<string, unknown>): string {
  const names = (resource.name as HumanName[] | undefined) ?? [];
  const first = names[0];
  if (!first) return 'Unnamed patient';
  return first.text ?? [...(first.given ?? []), first.family ?? ''].join(' ').trim();
}

function summary(resource: Record<string, unknown>): PatientSummary {
  return { id: String(resource.id), name: displayName(resource), ...(typeof resource.birthDate === 'string' ? { birthDate: resource.birthDate } : {}) };
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
      .map((row) => summary(row.resource))
      .filter((p) => !q || p.name.toLowerCase().includes(q) || p.id.toLowerCase() === q)
      .slice(0, limit);
  }

  async get(id: string): Promise<PatientSummary | null> {
    const stored = await this.store.current('Patient', id);
    return stored && !stored.deleted ? summary(stored.resource) : null;
  }
}
