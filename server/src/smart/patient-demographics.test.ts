import type { Identifier, Patient } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { displayName, patientDemographics } from './patient-demographics.js';

const patient = (fields: Omit<Patient, 'resourceType'>): Patient => ({ resourceType: 'Patient', id: 'p1', ...fields });

describe('displayName', () => {
  it.each([
    ['the official name over the first', [{ family: 'Byron', given: ['Ada'] }, { use: 'official', family: 'Lovelace', given: ['Ada'] }], 'Ada Lovelace'],
    ['the usual name when none is official', [{ use: 'old', text: 'Old Name' }, { use: 'usual', text: 'Ada' }], 'Ada'],
    ['a current name over an old one', [{ use: 'old', text: 'Old Name' }, { use: 'nickname', text: 'Addie' }], 'Addie'],
    ['text over the parts', [{ text: 'Ada L.', family: 'Lovelace' }], 'Ada L.'],
    ['prefix and suffix with the parts', [{ prefix: ['Dr'], given: ['Ada'], family: 'King', suffix: ['PhD'] }], 'Dr Ada King PhD'],
    ['a placeholder without names', [], 'Unnamed patient'],
    ['a placeholder for an empty name', [{ given: [] }], 'Unnamed patient'],
  ] as const)('takes %s', (_case, names, expected) => {
    expect(displayName({ name: names.map((name) => ({ ...name })) as Patient['name'] })).toBe(expected);
  });
});

describe('patientDemographics', () => {
  it.each<[string, Identifier, string]>([
    ['type text first', { type: { text: 'Chart number', coding: [{ display: 'Other' }] }, value: '1' }, 'Chart number'],
    ['then a coding display', { type: { coding: [{ system: 'urn:x', code: 'X' }, { display: 'Hospital number' }] }, value: '1' }, 'Hospital number'],
    ['then HL7 table 0203 for a bare code', { type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'DL' }] }, value: '1' }, "Driver's license number"],
    ['then a well-known system', { system: 'http://hl7.org/fhir/sid/us-npi', value: '1' }, 'National provider identifier'],
    ['else "Identifier"', { system: 'https://github.com/synthetichealth/synthea', value: '1' }, 'Identifier'],
    ['else "Identifier" for an unknown 0203 code', { type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'NOPE' }] } }, 'Identifier'],
  ])('labels an identifier’s type: %s', (_case, identifier, label) => {
    expect(patientDemographics(patient({ identifier: [identifier] })).identifiers[0]!.type).toBe(label);
  });

  it('says deceased only when the record does', () => {
    expect(patientDemographics(patient({})).deceased).toBeNull();
    expect(patientDemographics(patient({ deceasedBoolean: false })).deceased).toBe(false);
    expect(patientDemographics(patient({ deceasedDateTime: '2020-01-02' }))).toMatchObject({ deceased: true, deceasedDateTime: '2020-01-02' });
  });

  it('reads US Core race and ethnicity: their text, else the OMB categories', () => {
    const omb = (code: string, display: string) => ({ url: 'ombCategory', valueCoding: { system: 'urn:oid:2.16.840.1.113883.6.238', code, display } });
    const result = patientDemographics(
      patient({
        extension: [
          { url: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-race', extension: [omb('2106-3', 'White'), omb('2054-5', 'Black or African American')] },
          { url: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-ethnicity', extension: [omb('2135-2', 'Hispanic or Latino'), { url: 'text', valueString: 'Latina' }] },
        ],
      }),
    );
    expect(result).toMatchObject({ race: 'White, Black or African American', ethnicity: 'Latina' });
    expect(patientDemographics(patient({ extension: [{ url: 'http://example.org/other', valueString: 'x' }] }))).toMatchObject({ race: null, ethnicity: null });
  });

  it('writes an address on one line unless it has its own text, and drops contact points without a value', () => {
    const result = patientDemographics(
      patient({
        address: [{ line: ['1 Main St', 'Apt 2'], city: 'Boston', state: 'MA', postalCode: '02101', country: 'US' }, { text: 'c/o the clinic', city: 'Ignored' }, { state: 'MA' }],
        telecom: [{ system: 'phone' }, { system: 'email', value: 'a@example.org', use: 'work' }],
      }),
    );
    expect(result.addresses.map((address) => address.text)).toEqual(['1 Main St, Apt 2, Boston, MA 02101, US', 'c/o the clinic', 'MA']);
    expect(result.telecom).toEqual([{ system: 'email', value: 'a@example.org', use: 'work' }]);
  });
});
