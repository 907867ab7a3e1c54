import path from 'node:path';
import type { Resource } from '@medplum/fhirtypes';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGenerator, generate } from '../../bench/generator/index.js';
import { createFhirService } from '../../server/src/fhir/api.js';
import { fhirRegistry } from '../../server/src/fhir/definitions/registry.js';
import { importPath } from '../../server/src/fhir/import/import-files.js';
import { SCOPE_RESOURCE_TYPES } from '../../server/src/smart/resource-types.js';
import { removeDir, tempDataDir } from '../helpers/server.js';
import { FhirTestServer, type FhirResponse } from './harness.js';

// A patient token never sees another patient's data, through any type, search, include or history.
// Three generated patients are imported (NDJSON, as a bulk load would be); patient A's tokens then
// try every read path toward patients B and C, and each returned resource is checked by content:
// it must be none of B's or C's resources and refer to none of them.

type Json = Record<string, unknown>;

const seed = 'isolation';
const registry = fhirRegistry();
/** The types the R4 Patient CompartmentDefinition places in a patient's compartment, from the server's registry. */
const compartmentTypes = registry.resourceTypes.filter((type) => registry.compartmentParams(type).length > 0);
const laboratory = 'http://terminology.hl7.org/CodeSystem/observation-category|laboratory';

let fhir: FhirTestServer;
let work: string;

/** The types a patient/ scope reads whole (access/guard.ts): the practice's directory and medication catalogue. */
const directoryTypes = ['Location', 'Medication', 'Organization', 'Practitioner', 'PractitionerRole'];

/** Which generated patient (by Patient id) each `Type/id` belongs to; shared resources are absent. */
const owner = new Map<string, string>();
const recordOf = new Map<string, Resource[]>();
let shared: Resource[] = [];
let patientA = '';
let others: string[] = [];

interface TokenCase {
  name: string;
  token: string;
  /** Types the token may search; others answer 403. */
  searchable: (type: string) => boolean;
  /** A narrowing the token's granular scopes put on what it sees, checked on every returned resource. */
  narrowing?: (resource: Json) => boolean;
}
let tokens: TokenCase[] = [];

const keyOf = (resource: { resourceType: string; id?: string }) => `${resource.resourceType}/${resource.id ?? ''}`;

/** `Type/id` of a reference (relative, absolute on this server, or versioned); undefined for others. */
function referencedKey(reference: string): string | undefined {
  const relative = reference.startsWith(`${fhir.base}/`) ? reference.slice(fhir.base.length + 1) : reference;
  const match = /^([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(\/_history\/[^/]+)?$/.exec(relative);
  return match ? `${match[1]}/${match[2]}` : undefined;
}

function references(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) references(item, out);
  else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      if (key === 'reference' && typeof item === 'string') out.push(item);
      else references(item, out);
    }
  }
  return out;
}

/** Why a resource shown to patient A reveals another patient's data, or undefined when it does not. */
function leakIn(resource: Json): string | undefined {
  const self = keyOf(resource as { resourceType: string; id: string });
  const selfOwner = owner.get(self);
  if (selfOwner !== undefined && selfOwner !== patientA) return `${self} belongs to Patient/${selfOwner}`;
  // patient A's own record may point anywhere (the links made below); what the server adds must not
  if (selfOwner === patientA) return undefined;
  for (const reference of references(resource)) {
    const target = referencedKey(reference);
    const targetOwner = target && owner.get(target);
    if (targetOwner && targetOwner !== patientA) return `${self} refers to ${reference} of Patient/${targetOwner}`;
  }
  return undefined;
}

interface Seen {
  entries: { resource: Json; mode: string }[];
  total?: number;
}

/** Every entry of a searchset or history, following `next` links. */
async function collect(first: FhirResponse, token: string, describeRequest: string): Promise<Seen> {
  expect(first.status, `${describeRequest}: ${first.text.slice(0, 300)}`).toBe(200);
  const seen: Seen = { entries: [], ...(typeof first.body.total === 'number' ? { total: first.body.total as number } : {}) };
  let page: FhirResponse | undefined = first;
  for (let pages = 0; page && pages < 50; pages++) {
    for (const entry of (page.body.entry ?? []) as { resource?: Json; search?: { mode?: string } }[]) {
      if (entry.resource) seen.entries.push({ resource: entry.resource, mode: entry.search?.mode ?? 'history' });
    }
    const next: string | undefined = ((page.body.link ?? []) as { relation: string; url: string }[]).find((link) => link.relation === 'next')?.url;
    page = next ? await fhir.request(new URL(next).pathname + new URL(next).search, { token }) : undefined;
    if (page) expect(page.status, `${describeRequest} (next page)`).toBe(200);
  }
  return seen;
}

/** Asserts nothing returned to patient A belongs to or refers to another patient, and the token's narrowing holds. */
function expectConfined(seen: Seen, tokenCase: TokenCase, describeRequest: string): void {
  for (const { resource } of seen.entries) {
    const leak = leakIn(resource);
    expect(leak, `${tokenCase.name} ${describeRequest} leaked: ${leak}`).toBeUndefined();
    const type = resource.resourceType as string;
    expect(compartmentTypes.includes(type) || directoryTypes.includes(type), `${tokenCase.name} ${describeRequest} returned ${keyOf(resource as { resourceType: string })}, outside the compartment`).toBe(true);
    if (tokenCase.narrowing) expect(tokenCase.narrowing(resource), `${tokenCase.name} ${describeRequest} returned ${keyOf(resource as { resourceType: string })} beyond its granular scope`).toBe(true);
  }
}

function resourcesOf(patients: string[], type?: string): Resource[] {
  return patients.flatMap((id) => recordOf.get(id)!).filter((r) => !type || r.resourceType === type);
}

/** The reference search parameters of a type, with their target types. */
function referenceParams(type: string): { code: string; targets: string[] }[] {
  return [...registry.searchParams(type).values()].filter((p) => p.type === 'reference').map((p) => ({ code: p.code, targets: p.targets }));
}

/** `_revinclude` values that can point at a type: every reference parameter of every type targeting it. */
function revIncludesOf(type: string): string[] {
  return registry.resourceTypes.flatMap((source) => referenceParams(source).filter((p) => p.targets.includes(type)).map((p) => `${source}:${p.code}`));
}

/** One search criterion aimed at these patients' records: their ids, references to them in every form, chains and `_has`. */
function criterionToward(patients: string[], type: string): fc.Arbitrary<[string, string]> {
  const options: fc.Arbitrary<[string, string]>[] = [];
  const ofType = resourcesOf(patients, type).map((r) => r.id!);
  options.push(fc.constantFrom(...(ofType.length ? ofType : resourcesOf(patients).map((r) => r.id!))).map((id): [string, string] => ['_id', id]));
  for (const param of referenceParams(type)) {
    const targets = resourcesOf(patients).filter((r) => !param.targets.length || param.targets.includes(r.resourceType));
    if (targets.length) {
      options.push(
        fc.tuple(fc.constantFrom(...targets), fc.constantFrom('relative', 'absolute', 'typed-id')).map(([target, form]): [string, string] => {
          if (form === 'absolute') return [param.code, `${fhir.base}/${keyOf(target)}`];
          if (form === 'typed-id') return [`${param.code}:${target.resourceType}`, target.id!];
          return [param.code, keyOf(target)];
        }),
      );
    }
    if (param.targets.includes('Patient')) {
      options.push(fc.constantFrom(...patients).map((id): [string, string] => [`${param.code}:Patient._id`, id]));
      options.push(fc.constantFrom(...patients).map((id): [string, string] => [param.code, id]));
    }
  }
  for (const rev of revIncludesOf(type)) {
    const [source = '', code = ''] = rev.split(':');
    const sources = resourcesOf(patients, source);
    if (sources.length) options.push(fc.constantFrom(...sources).map((r): [string, string] => [`_has:${source}:${code}:_id`, r.id!]));
  }
  return fc.oneof(...options);
}

/** None, or up to two criteria (AND), mostly aimed at the other patients, sometimes at A (so there is something to include from). */
function criteriaFor(type: string): fc.Arbitrary<[string, string][]> {
  const one = fc.oneof({ weight: 3, arbitrary: criterionToward(others, type) }, { weight: 1, arbitrary: criterionToward([patientA], type) });
  return fc.oneof({ weight: 1, arbitrary: fc.constant<[string, string][]>([]) }, { weight: 3, arbitrary: fc.array(one, { minLength: 1, maxLength: 2 }) });
}

interface SearchCase {
  type: string;
  criteria: [string, string][];
  includes: string[];
  revIncludes: string[];
  iterate: boolean;
  count: string | undefined;
  summaryCount: boolean;
  via: 'get' | 'post' | 'batch';
  tokenName: string;
}

/** A few of the values (any of them, in any number up to `max`). */
function upTo(max: number, values: string[]): fc.Arbitrary<string[]> {
  return fc.subarray(values, { maxLength: Math.min(max, values.length) });
}

function searchCase(): fc.Arbitrary<SearchCase> {
  const withData = [...new Set([...owner.keys(), ...shared.map(keyOf)].map((key) => key.split('/')[0]!))].sort();
  const withoutData = compartmentTypes.filter((type) => !withData.includes(type));
  const type = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...withData) }, { weight: 1, arbitrary: fc.constantFrom(...withoutData) });
  return type.chain((type) => {
    const revIncludes = revIncludesOf(type);
    // Provenance:target is what apps ask for most; give it its own chance beside the many others
    const provenance = revIncludes.includes('Provenance:target') ? ['Provenance:target'] : [];
    return fc.record({
      type: fc.constant(type),
      criteria: criteriaFor(type),
      includes: upTo(4, referenceParams(type).map((p) => `${type}:${p.code}`)),
      revIncludes: fc.tuple(fc.boolean(), upTo(3, revIncludes.filter((r) => r !== 'Provenance:target'))).map(([withProvenance, rest]) => [...(withProvenance ? provenance : []), ...rest]),
      iterate: fc.boolean(),
      count: fc.constantFrom(undefined, '7', '1000'),
      summaryCount: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
      via: fc.constantFrom('get' as const, 'post' as const, 'batch' as const),
      tokenName: fc.constantFrom(...tokens.map((t) => t.name)),
    });
  });
}

function describeSearch(c: Pick<SearchCase, 'via' | 'type'>, pairs: [string, string][]): string {
  return `${c.via.toUpperCase()} ${c.type}?${new URLSearchParams(pairs).toString()}`;
}

/** What the property's searches returned in all, so a run that never includes anything cannot pass unnoticed. */
const shown = { matched: 0, included: 0 };

async function runSearch(search: SearchCase): Promise<void> {
  const c = { ...search, tokenCase: tokens.find((t) => t.name === search.tokenName)! };
  const pairs: [string, string][] = [
    ...c.criteria,
    ...c.includes.map((v): [string, string] => [c.iterate ? '_include:iterate' : '_include', v]),
    ...c.revIncludes.map((v): [string, string] => [c.iterate ? '_revinclude:iterate' : '_revinclude', v]),
    ...(c.count ? [['_count', c.count] as [string, string]] : []),
    ...(c.summaryCount ? [['_summary', 'count'] as [string, string]] : []),
  ];
  const query = new URLSearchParams(pairs).toString();
  const label = describeSearch(c, pairs);
  const token = c.tokenCase.token;
  let response: FhirResponse;
  if (c.via === 'batch') {
    const batch = await fhir.request('', { method: 'POST', token, body: { resourceType: 'Bundle', type: 'batch', entry: [{ request: { method: 'GET', url: `${c.type}${query ? `?${query}` : ''}` } }] } });
    expect(batch.status, `${label}: ${batch.text.slice(0, 300)}`).toBe(200);
    const entry = batch.body.entry[0] as { response: { status: string }; resource?: Json };
    response = { status: Number.parseInt(entry.response.status, 10), headers: {}, text: JSON.stringify(entry.resource ?? {}), body: entry.resource ?? {} };
  } else if (c.via === 'post') {
    response = await fhir.request(`${c.type}/_search`, { method: 'POST', token, body: query, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  } else {
    response = await fhir.request(`${c.type}${query ? `?${query}` : ''}`, { token });
  }
  if (!c.tokenCase.searchable(c.type)) {
    expect(response.status, label).toBe(403);
    return;
  }
  const seen = await collect(response, token, `${c.tokenCase.name} ${label}`);
  expectConfined(seen, c.tokenCase, label);
  for (const entry of seen.entries) shown[entry.mode === 'include' ? 'included' : 'matched']++;
  // a count must not reveal matches the caller cannot see: it is the number of matches the same search shows
  const plain = c.summaryCount
    ? await collect(await fhir.request(`${c.type}?${new URLSearchParams([...c.criteria, ['_count', '1000']]).toString()}`, { token }), token, `${label} without _summary`)
    : seen;
  if (seen.total !== undefined) expect(seen.total, `${c.tokenCase.name} ${label} total`).toBe(plain.entries.filter((e) => e.mode === 'match').length);
}

/** Patient A's and B's records point at each other (a result filed as part of the wrong panel, an encounter under the wrong visit). */
async function linkAcrossRecords(): Promise<void> {
  const [b] = others as [string];
  const pick = (patient: string, type: string) => recordOf.get(patient)!.find((r) => r.resourceType === type)! as Resource & Json;
  const links: [Resource & Json, Json][] = [
    [pick(patientA, 'Observation'), { hasMember: [{ reference: keyOf(pick(b, 'Observation')) }], derivedFrom: [{ reference: keyOf(pick(b, 'DocumentReference')) }] }],
    [pick(b, 'Observation'), { hasMember: [{ reference: keyOf(pick(patientA, 'Observation')) }] }],
    [pick(patientA, 'Encounter'), { partOf: { reference: keyOf(pick(b, 'Encounter')) } }],
    [pick(b, 'Encounter'), { partOf: { reference: keyOf(pick(patientA, 'Encounter')) } }],
    [pick(patientA, 'DiagnosticReport'), { result: [{ reference: keyOf(pick(b, 'Observation')) }], specimen: [{ reference: keyOf(pick(b, 'Specimen')) }] }],
  ];
  for (const [resource, extra] of links) {
    Object.assign(resource, extra);
    const res = await fhir.request(keyOf(resource), { method: 'PUT', body: resource });
    expect(res.status, res.text).toBe(200);
  }
}

beforeAll(async () => {
  fhir = await FhirTestServer.start();
  work = await tempDataDir();
  const generator = createGenerator(seed);
  shared = generator.shared();
  const patients = [1, 2, 3].map((index) => generator.patient(index));
  for (const record of patients) {
    const patientId = record[0]!.id!;
    recordOf.set(patientId, record);
    for (const resource of record) owner.set(keyOf(resource), patientId);
  }
  // A has the largest record (most to include from); B and C are the others
  const ids = patients.map((record) => record[0]!.id!);
  patientA = ids[1]!;
  others = [ids[0]!, ids[2]!];
  // the same deterministic generator `inpracsys generate` runs, in the NDJSON form bulk loads use
  const out = path.join(work, 'generated');
  await generate({ patients: 3, out, seed, format: 'ndjson' });
  const report = await importPath(createFhirService(fhir.context), out);
  expect(report.failures).toEqual([]);
  await linkAcrossRecords();

  const granular = compartmentTypes.filter((type) => type !== 'Observation').map((type) => `patient/${type}.rs`);
  const isLab = (resource: Json) => resource.resourceType !== 'Observation' || JSON.stringify(resource.category ?? []).includes('"code":"laboratory"');
  // the product refuses wildcard scopes (`patient/*.rs`), so "everything" is every type listed
  const every = registry.resourceTypes.filter((type) => SCOPE_RESOURCE_TYPES.has(type));
  tokens = [
    { name: 'patient/<every type>.rs', token: await fhir.token({ scope: every.map((type) => `patient/${type}.rs`).join(' '), patient: patientA }), searchable: () => true },
    { name: 'patient/<every type>.read', token: await fhir.token({ scope: every.map((type) => `patient/${type}.read`).join(' '), patient: patientA }), searchable: () => true },
    {
      name: 'granular',
      token: await fhir.token({ scope: [...granular, `patient/Observation.rs?category=${laboratory}`].join(' '), patient: patientA }),
      searchable: (type) => compartmentTypes.includes(type),
      narrowing: isLab,
    },
  ];
});

afterAll(async () => {
  await fhir?.close();
  if (work) await removeDir(work);
});

describe('patient compartment isolation', () => {
  it('shows patient A exactly their own record through a plain search of every compartment type', async () => {
    const token = tokens[0]!.token;
    for (const type of compartmentTypes) {
      // a Provenance joins a compartment only through a Patient target, and the server adds its own for the import
      if (type === 'Provenance') continue;
      const seen = await collect(await fhir.request(`${type}?_count=1000`, { token }), token, type);
      expectConfined(seen, tokens[0]!, type);
      const expected = recordOf.get(patientA)!.filter((r) => r.resourceType === type).map(keyOf).sort();
      expect(seen.entries.map((e) => keyOf(e.resource as { resourceType: string })).sort(), type).toEqual(expected);
    }
  });

  it('answers 404 to every read, vread and instance history of another patient\'s resources', async () => {
    const [b = '', c = ''] = others;
    const onePerType = (patient: string) => [...new Map(recordOf.get(patient)!.map((r) => [r.resourceType, r])).values()];
    for (const tokenCase of tokens) {
      // every resource of B with the broadest token; one of each type of B and C with every token
      const resources = tokenCase === tokens[0] ? [...recordOf.get(b)!, ...onePerType(c)] : [...onePerType(b), ...onePerType(c)];
      for (const resource of resources) {
        const key = keyOf(resource);
        for (const url of [key, `${key}/_history/1`, `${key}/_history`]) {
          const res = await fhir.request(url, { token: tokenCase.token });
          const expected = tokenCase.searchable(resource.resourceType) ? 404 : 403;
          expect(res.status, `${tokenCase.name} GET ${url}: ${res.text.slice(0, 200)}`).toBe(expected);
        }
      }
    }
  });

  it('never returns another patient\'s data from type history', async () => {
    for (const tokenCase of tokens) {
      for (const type of compartmentTypes) {
        const res = await fhir.request(`${type}/_history?_count=1000`, { token: tokenCase.token });
        if (!tokenCase.searchable(type)) {
          expect(res.status).toBe(403);
          continue;
        }
        expectConfined(await collect(res, tokenCase.token, `${type}/_history`), tokenCase, `${type}/_history`);
      }
    }
  });

  it('never returns another patient\'s data from any search, include or revinclude (property)', async () => {
    await fc.assert(
      fc.asyncProperty(searchCase(), async (c) => {
        await runSearch(c);
      }),
      { seed: 20260301, numRuns: 250 },
    );
    expect(shown.matched).toBeGreaterThan(0);
    expect(shown.included).toBeGreaterThan(0);
  });

  it('does not show a version filed under another patient before the resource moved to patient A', async () => {
    const [b = ''] = others;
    const moved = { resourceType: 'Observation', id: 'isolation-moved', status: 'final', code: { text: 'potassium' }, subject: { reference: `Patient/${b}` } };
    expect((await fhir.request('Observation/isolation-moved', { method: 'PUT', body: moved })).status).toBe(201);
    const corrected = { ...moved, subject: { reference: `Patient/${patientA}` } };
    expect((await fhir.request('Observation/isolation-moved', { method: 'PUT', body: corrected })).status).toBe(200);
    const token = tokens[0]!.token;
    expect((await fhir.request('Observation/isolation-moved', { token })).status).toBe(200);
    expect((await fhir.request('Observation/isolation-moved/_history/1', { token })).status).toBe(404);
    const history = await collect(await fhir.request('Observation/isolation-moved/_history', { token }), token, 'instance history');
    expect(history.entries.map((e) => (e.resource.subject as { reference: string }).reference)).toEqual([`Patient/${patientA}`]);
  });

  it('refuses patient A\'s writes to another patient\'s record', async () => {
    const [b = ''] = others;
    const token = await fhir.token({ scope: 'patient/Observation.cruds', patient: patientA });
    const theirs = recordOf.get(b)!.filter((r) => r.resourceType === 'Observation')[1]!; // one the cross-links left at version 1
    expect((await fhir.request(keyOf(theirs), { method: 'PUT', token, body: { ...theirs, status: 'entered-in-error' } })).status).toBe(404);
    expect((await fhir.request(keyOf(theirs), { method: 'DELETE', token })).status).toBe(404);
    const forB = { resourceType: 'Observation', status: 'final', code: { text: 'note' }, subject: { reference: `Patient/${b}` } };
    expect((await fhir.request('Observation', { method: 'POST', token, body: forB })).status).toBe(403);
    const current = await fhir.request(keyOf(theirs));
    expect(current.body.status).toBe(theirs.status);
    expect(current.body.meta.versionId).toBe('1');
  });

  it('lets a patient token read the practice directory and catalogue whole, and write none of it', async () => {
    const { token } = tokens[0]!;
    for (const resource of shared) {
      expect(directoryTypes.includes(resource.resourceType), resource.resourceType).toBe(true);
      expect(compartmentTypes.includes(resource.resourceType)).toBe(false);
      expect((await fhir.request(keyOf(resource), { token })).status, keyOf(resource)).toBe(200);
    }
    for (const type of new Set(shared.map((r) => r.resourceType))) {
      const seen = await collect(await fhir.request(`${type}?_count=1000`, { token }), token, type);
      expect(seen.entries.map((e) => keyOf(e.resource as { resourceType: string })).sort(), type).toEqual(shared.filter((r) => r.resourceType === type).map(keyOf).sort());
      const one = shared.find((r) => r.resourceType === type)!;
      expect((await fhir.request(keyOf(one), { method: 'PUT', token, body: one })).status).toBe(403);
    }
  });
});
