/** The Patient resource and the people and coverage around them. */
import type { Coverage, Extension, Patient, RelatedPerson } from '@medplum/fhirtypes';
import {
  detailedEthnicities, ethnicityCategories, languages, paymentTypes, raceCategories, relationships, system, tribes,
} from './codes.js';
import { coding, concept, meta, reference, time } from './fhir.js';
import { familyNames, femaleGivenNames, maleGivenNames, places, streetNames, type Place } from './names.js';
import { cliniciansFor, type Practice } from './organization.js';
import type { Random } from './random.js';
import { PatientRecord, referenceDate, type Person } from './record.js';

const usCoreExtension = 'http://hl7.org/fhir/us/core/StructureDefinition/';

/** Age bands by patient number, so that even a small run has infants, children, adults and elders. */
const ageBands: readonly [number, number][] = [[0, 2], [3, 17], [18, 30], [30, 45], [45, 55], [55, 65], [40, 65], [65, 75], [75, 85], [85, 95]];

export function patientId(index: number): string {
  return `gen-p-${String(index).padStart(6, '0')}`;
}

interface Identity {
  given: string[];
  family: string;
  place: Place;
  line: string;
  phone: string;
}

function identity(random: Random, sex: Person['sex']): Identity {
  const givenNames = sex === 'male' ? maleGivenNames : femaleGivenNames;
  const place = random.pick(places);
  return {
    given: random.chance(0.4) ? [random.pick(givenNames), random.pick(givenNames)] : [random.pick(givenNames)],
    family: random.pick(familyNames),
    place,
    line: `${random.int(1, 999)} ${random.pick(streetNames)}`,
    phone: `${place.areaCode}-555-${random.digits(4)}`,
  };
}

/** Starts patient number `index` (1-based): the Patient, a related person and the coverage. */
export function startRecord(random: Random, practice: Practice, index: number): PatientRecord {
  const id = patientId(index);
  const sex: Person['sex'] = random.chance(0.5) ? 'female' : 'male';
  const [youngest, oldest] = ageBands[(index - 1) % ageBands.length]!;
  const birth = referenceDate - random.decimal(youngest, oldest + 0.99, 3) * time.year - random.int(0, 364) * time.day;
  const person: Person = { sex, birth: Math.max(birth, referenceDate - 100 * time.year), displayName: '' };
  const age = Math.floor((referenceDate - person.birth) / time.year);
  if (age >= 75 && random.chance(0.15)) person.death = referenceDate - random.int(20, 300) * time.day;
  const who = identity(random, sex);
  person.displayName = `${who.given.join(' ')} ${who.family}`;

  const clinician = random.pick(cliniciansFor(practice, age, 'doctor'));
  const record = new PatientRecord(random, practice, id, person, clinician);
  const patient = record.add(buildPatient(record, who, age));
  if (age < 18 || random.chance(0.6)) record.add(buildRelatedPerson(record, patient, who, age));
  record.add(buildCoverage(record, patient, age));
  return record;
}

function buildPatient(record: PatientRecord, who: Identity, age: number): Patient {
  const { random, person, practice } = record;
  const addressSince = Math.max(person.birth, referenceDate - random.int(1, 15) * time.year);
  const patient: Patient = {
    resourceType: 'Patient',
    id: record.patientId,
    meta: meta('us-core-patient'),
    extension: demographicExtensions(random, person.sex),
    identifier: [
      {
        use: 'usual',
        type: concept({ system: system.identifierType, code: 'MR', display: 'Medical record number' }),
        system: 'https://inpracsys.example.org/identifiers/mrn',
        value: `MRN${random.digits(7)}`,
      },
    ],
    active: true,
    name: [{ use: 'official', family: who.family, given: who.given, period: { start: time.date(person.birth) } }],
    telecom: [
      { system: 'phone', value: who.phone, use: random.chance(0.6) ? 'mobile' : 'home' },
      ...(age >= 16 ? [{ system: 'email' as const, value: `${who.given[0]!.toLowerCase()}.${who.family.toLowerCase()}${random.int(1, 99)}@example.com`, use: 'home' as const }] : []),
    ],
    gender: person.sex,
    birthDate: time.date(person.birth),
    address: [
      {
        use: 'home',
        line: [who.line],
        city: who.place.city,
        state: who.place.state,
        postalCode: who.place.postalCode,
        country: 'US',
        period: { start: time.date(addressSince) },
      },
    ],
    communication: [{ language: concept(random.chance(0.8) ? languages[0]! : random.pick(languages)), preferred: true }],
    generalPractitioner: [reference(record.clinician.practitioner, record.clinician.name)],
    managingOrganization: reference(practice.organization, practice.organization.name),
  };
  if (age >= 18 && person.sex === 'male' && random.chance(0.2)) patient.name![0]!.suffix = [random.pick(['Jr.', 'Sr.', 'III'])];
  if (person.death) patient.deceasedDateTime = time.dateTime(person.death);
  else patient.deceasedBoolean = false;
  return patient;
}

function demographicExtensions(random: Random, sex: Person['sex']): Extension[] {
  const race = random.pick(raceCategories);
  const hispanic = random.chance(0.2);
  const ethnicity: Extension[] = [{ url: 'ombCategory', valueCoding: coding(ethnicityCategories[hispanic ? 1 : 0]!) }];
  if (hispanic) ethnicity.push({ url: 'detailed', valueCoding: coding(random.pick(detailedEthnicities)) });
  const extensions: Extension[] = [
    { url: `${usCoreExtension}us-core-race`, extension: [{ url: 'ombCategory', valueCoding: coding(race) }, { url: 'text', valueString: race.display }] },
    { url: `${usCoreExtension}us-core-ethnicity`, extension: [...ethnicity, { url: 'text', valueString: hispanic ? 'Hispanic or Latino' : 'Not Hispanic or Latino' }] },
    { url: `${usCoreExtension}us-core-birthsex`, valueCode: sex === 'female' ? 'F' : 'M' },
    { url: `${usCoreExtension}us-core-sex`, valueCode: sex === 'female' ? '248152002' : '248153007' },
    {
      url: `${usCoreExtension}us-core-genderIdentity`,
      valueCodeableConcept: concept(
        sex === 'female'
          ? { system: system.snomed, code: '446141000124107', display: 'Identifies as female gender (finding)' }
          : { system: system.snomed, code: '446151000124109', display: 'Identifies as male gender (finding)' },
      ),
    },
  ];
  if (race.code === '1002-5') {
    extensions.push({
      url: `${usCoreExtension}us-core-tribal-affiliation`,
      extension: [{ url: 'tribalAffiliation', valueCodeableConcept: concept(random.pick(tribes)) }, { url: 'isEnrolled', valueBoolean: random.chance(0.5) }],
    });
  }
  return extensions;
}

function buildRelatedPerson(record: PatientRecord, patient: Patient, who: Identity, age: number): RelatedPerson {
  const { random } = record;
  const relationship = age < 18 ? relationships[random.int(0, 1)]! : random.pick(relationships.slice(2));
  const given = relationship.code === 'MTH' || relationship.code === 'DAU' ? random.pick(femaleGivenNames) : random.pick(maleGivenNames);
  return {
    resourceType: 'RelatedPerson',
    id: record.id('rel'),
    meta: meta('us-core-relatedperson'),
    active: true,
    patient: reference(patient, record.person.displayName),
    relationship: [concept(relationship)],
    name: [{ use: 'official', family: who.family, given: [given] }],
    telecom: [{ system: 'phone', value: `${who.place.areaCode}-555-${random.digits(4)}`, use: 'mobile' }],
    address: [{ use: 'home', line: [who.line], city: who.place.city, state: who.place.state, postalCode: who.place.postalCode, country: 'US' }],
  };
}

function buildCoverage(record: PatientRecord, patient: Patient, age: number): Coverage {
  const { random, practice } = record;
  const kind = age >= 65 ? 0 : random.chance(0.25) ? 1 : 2;
  const payer = [practice.payers.medicare, practice.payers.medicaid, practice.payers.commercial][kind]!;
  const memberId = `${['MCR', 'MCD', 'HHP'][kind]}${random.digits(9)}`;
  const start = Math.max(record.person.birth, referenceDate - random.int(1, 8) * time.year);
  const coverage: Coverage = {
    resourceType: 'Coverage',
    id: record.id('cov'),
    meta: meta('us-core-coverage'),
    identifier: [
      {
        type: concept({ system: system.identifierType, code: 'MB', display: 'Member Number' }),
        system: `https://inpracsys.example.org/identifiers/payer/${payer.id}`,
        value: memberId,
      },
    ],
    status: 'active',
    type: concept(paymentTypes[kind]!),
    subscriberId: memberId,
    beneficiary: reference(patient, record.person.displayName),
    relationship: concept({ system: system.subscriberRelationship, code: 'self', display: 'Self' }),
    period: { start: time.date(start) },
    payor: [reference(payer, payer.name)],
    class: [
      { type: concept({ system: system.coverageClass, code: 'group', display: 'Group' }), value: `GRP${random.digits(5)}`, name: `${payer.name} group` },
      { type: concept({ system: system.coverageClass, code: 'plan', display: 'Plan' }), value: `PLN${random.digits(3)}`, name: `${payer.name} standard plan` },
    ],
  };
  return coverage;
}
