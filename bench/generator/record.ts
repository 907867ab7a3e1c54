/** One patient's record while it is being generated: ids, the resources so far, and the facts they share. */
import type { Condition, Encounter, Location, Patient, Reference, Resource } from '@medplum/fhirtypes';
import { time } from './fhir.js';
import type { Clinician, Practice } from './organization.js';
import type { Random } from './random.js';

/** "Today" for every generated record, so that output never depends on the clock. */
export const referenceDate = Date.UTC(2025, 11, 31, 12, 0, 0);

export interface Person {
  sex: 'male' | 'female';
  birth: number;
  death?: number;
  displayName: string;
}

export class PatientRecord {
  readonly resources: Resource[] = [];
  private readonly counters = new Map<string, number>();

  constructor(
    readonly random: Random,
    readonly practice: Practice,
    readonly patientId: string,
    readonly person: Person,
    /** The patient's own clinician (primary care). */
    readonly clinician: Clinician,
  ) {}

  /** The next id for a resource of this kind, e.g. `gen-p-000001-obs-12`. */
  id(kind: string): string {
    const next = (this.counters.get(kind) ?? 0) + 1;
    this.counters.set(kind, next);
    return `${this.patientId}-${kind}-${next}`;
  }

  add<T extends Resource>(resource: T): T {
    this.resources.push(resource);
    return resource;
  }

  /** Adds a resource recorded during a visit (its Provenance will name it). */
  addDuring<T extends Resource>(visit: Visit, resource: T): T {
    visit.made.push({ reference: `${resource.resourceType}/${resource.id}` });
    return this.add(resource);
  }

  get patientRef(): Reference<Patient> {
    return { reference: `Patient/${this.patientId}`, display: this.person.displayName };
  }

  /** Age in whole years at a time. */
  ageAt(ms: number): number {
    return Math.floor((ms - this.person.birth) / time.year);
  }

  /** The last moment the record may describe: death or the reference date. */
  get end(): number {
    return this.person.death ?? referenceDate;
  }
}

/** One encounter, as the resources made during it see it. */
export interface Visit {
  encounter: Reference<Encounter>;
  start: number;
  end: number;
  clinician: Clinician;
  location: Reference<Location>;
  /** Why the patient came, when a condition says it: orders, prescriptions and procedures cite it. */
  reason?: Condition;
  /** Everything recorded during the visit, for its Provenance. */
  made: Reference[];
}
