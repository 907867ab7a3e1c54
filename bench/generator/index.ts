/**
 * Deterministic synthetic US Core 7 patients for tests and benchmarks: the same seed writes
 * byte-identical files; patients are generated and written one at a time, so any size fits.
 */
import type { Resource } from '@medplum/fhirtypes';
import { recordClinicalHistory } from './clinical.js';
import { buildPractice, practiceResources } from './organization.js';
import { startRecord } from './patient.js';
import { Random, randomFor, seedFromText } from './random.js';
import { openSink, type OutputFormat } from './write.js';

export type { OutputFormat } from './write.js';

export interface GenerateOptions {
  patients: number;
  out: string;
  /** Any text; the default is "1". */
  seed?: string;
  format?: OutputFormat;
}

export interface GenerateResult {
  patients: number;
  /** Resources written, by resource type (shared ones included). */
  counts: Record<string, number>;
  total: number;
}

export interface Generator {
  /** The practice's organizations, clinicians, locations and medications (load them first). */
  shared(): Resource[];
  /** Patient number `index` (1-based) with everything in their record, the Patient first. */
  patient(index: number): Resource[];
}

export function createGenerator(seed = '1'): Generator {
  const numericSeed = seedFromText(seed);
  const practice = buildPractice(new Random(numericSeed));
  return {
    shared: () => practiceResources(practice),
    patient: (index) => {
      const record = startRecord(randomFor(numericSeed, index), practice, index);
      recordClinicalHistory(record);
      return record.resources;
    },
  };
}

export async function generate(options: GenerateOptions): Promise<GenerateResult> {
  const generator = createGenerator(options.seed);
  const sink = await openSink(options.format ?? 'bundle', options.out);
  const counts: Record<string, number> = {};
  const count = (resources: readonly Resource[]): void => {
    for (const resource of resources) counts[resource.resourceType] = (counts[resource.resourceType] ?? 0) + 1;
  };
  try {
    const shared = generator.shared();
    await sink.writeShared(shared);
    count(shared);
    for (let index = 1; index <= options.patients; index++) {
      const resources = generator.patient(index);
      await sink.writePatient(index, resources);
      count(resources);
    }
  } finally {
    await sink.close();
  }
  const sorted = Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
  return { patients: options.patients, counts: sorted, total: Object.values(counts).reduce((sum, n) => sum + n, 0) };
}
