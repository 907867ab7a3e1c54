/** The practice every synthetic patient belongs to: its organizations, clinicians, sites and formulary. */
import type { Location, Medication, Organization, Practitioner, PractitionerRole, Resource } from '@medplum/fhirtypes';
import { drugs, specialties, system, type Code } from './codes.js';
import { concept, meta, reference } from './fhir.js';
import type { Random } from './random.js';

export interface Clinician {
  practitioner: Practitioner;
  role: PractitionerRole;
  name: string;
  kind: 'doctor' | 'nurse';
  /** Who they see: children (the pediatrician), adults (the other doctors) or everyone (nurses). */
  sees: 'children' | 'adults' | 'everyone';
}

export interface Practice {
  organization: Organization;
  laboratory: Organization;
  payers: { medicare: Organization; medicaid: Organization; commercial: Organization };
  clinicians: Clinician[];
  locations: Location[];
  /** Medication resources by RxNorm code. */
  medications: Map<string, Medication>;
}

/** A valid NPI: nine digits and the Luhn check digit computed over the `80840` prefix. */
export function npi(random: Random): string {
  const body = `${random.int(1, 2)}${random.digits(8)}`;
  const digits = `80840${body}`;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return `${body}${(10 - (sum % 10)) % 10}`;
}

const practiceAddress = { line: ['100 Front Street', 'Suite 200'], city: 'Worcester', state: 'MA', postalCode: '01608', country: 'US' };

function organization(random: Random, id: string, name: string, type: Code, phone: string, withNpi: boolean): Organization {
  return {
    resourceType: 'Organization',
    id,
    meta: meta('us-core-organization'),
    identifier: withNpi ? [{ system: system.npi, value: npi(random) }] : [{ system: 'urn:ietf:rfc:3986', value: `urn:inpracsys:organization:${id}` }],
    active: true,
    type: [concept(type)],
    name,
    telecom: [{ system: 'phone', value: phone, use: 'work' }],
    address: [{ ...practiceAddress, line: [...practiceAddress.line] }],
  };
}

const organizationType = (code: string, display: string): Code => ({ system: system.organizationType, code, display });

const staff = [
  { given: 'Adam', family: 'Careful', suffix: 'MD', gender: 'male', specialty: specialties.familyMedicine, role: 'doctor' },
  { given: 'Beatrice', family: 'Nakamura', suffix: 'MD', gender: 'female', specialty: specialties.internalMedicine, role: 'doctor' },
  { given: 'Carlos', family: 'Ortega', suffix: 'MD', gender: 'male', specialty: specialties.pediatrics, role: 'doctor' },
  { given: 'Dana', family: 'Whitfield', suffix: 'NP', gender: 'female', specialty: specialties.nursePractitioner, role: 'nurse' },
  { given: 'Elena', family: 'Petrova', suffix: 'MD', gender: 'female', specialty: specialties.familyMedicine, role: 'doctor' },
  { given: 'Farid', family: 'Haddad', suffix: 'RN', gender: 'male', specialty: specialties.nursePractitioner, role: 'nurse' },
] as const;

/** The clinicians who may see a patient of this age. */
export function cliniciansFor(practice: Practice, age: number, kind?: Clinician['kind']): Clinician[] {
  const group = age < 18 ? 'children' : 'adults';
  return practice.clinicians.filter((clinician) => (clinician.sees === group || clinician.sees === 'everyone') && (!kind || clinician.kind === kind));
}

/** Builds the shared resources; they depend on the seed only. */
export function buildPractice(random: Random): Practice {
  const practice = organization(random, 'gen-org-practice', 'InPracSys Family Practice', organizationType('prov', 'Healthcare Provider'), '508-555-0100', true);
  const laboratory = organization(random, 'gen-org-lab', 'Front Street Reference Laboratory', organizationType('prov', 'Healthcare Provider'), '508-555-0190', true);
  const payers = {
    medicare: organization(random, 'gen-org-medicare', 'Medicare', organizationType('pay', 'Payer'), '800-633-4227', false),
    medicaid: organization(random, 'gen-org-medicaid', 'MassHealth', organizationType('pay', 'Payer'), '800-841-2900', false),
    commercial: organization(random, 'gen-org-commercial', 'Harbor Health Plan', organizationType('pay', 'Payer'), '800-555-0142', false),
  };
  const locations: Location[] = [
    { id: 'gen-loc-main', name: 'InPracSys Family Practice - Front Street', line: '100 Front Street', city: 'Worcester', postalCode: '01608', phone: '508-555-0100' },
    { id: 'gen-loc-west', name: 'InPracSys Family Practice - West Side', line: '25 Park Avenue', city: 'Worcester', postalCode: '01609', phone: '508-555-0120' },
  ].map((site) => ({
    resourceType: 'Location',
    id: site.id,
    meta: meta('us-core-location'),
    identifier: [{ system: 'https://inpracsys.example.org/identifiers/location', value: site.id }],
    status: 'active',
    name: site.name,
    type: [concept({ system: system.roleCode, code: 'PC', display: 'primary care clinic' })],
    telecom: [{ system: 'phone', value: site.phone, use: 'work' }],
    address: { line: [site.line], city: site.city, state: 'MA', postalCode: site.postalCode, country: 'US' },
    managingOrganization: reference(practice, practice.name),
  }));

  const clinicians = staff.map((person, index): Clinician => {
    const number = String(index + 1).padStart(2, '0');
    const name = `${person.given} ${person.family}, ${person.suffix}`;
    const practitioner: Practitioner = {
      resourceType: 'Practitioner',
      id: `gen-pract-${number}`,
      meta: meta('us-core-practitioner'),
      identifier: [{ system: system.npi, value: npi(random) }],
      active: true,
      name: [{ use: 'official', family: person.family, given: [person.given], ...(person.role === 'doctor' ? { prefix: ['Dr.'] } : {}), suffix: [person.suffix] }],
      telecom: [
        { system: 'phone', value: `508-555-01${number}`, use: 'work' },
        { system: 'email', value: `${person.given.toLowerCase()}.${person.family.toLowerCase()}@inpracsys.example.org`, use: 'work' },
      ],
      address: [{ use: 'work', ...practiceAddress, line: [...practiceAddress.line] }],
      gender: person.gender,
    };
    const location = locations[index % locations.length]!;
    const role: PractitionerRole = {
      resourceType: 'PractitionerRole',
      id: `gen-role-${number}`,
      meta: meta('us-core-practitionerrole'),
      contained: [
        {
          resourceType: 'Endpoint',
          id: 'direct',
          status: 'active',
          connectionType: { system: 'http://terminology.hl7.org/CodeSystem/endpoint-connection-type', code: 'direct-project', display: 'Direct Project' },
          payloadType: [concept({ system: 'http://terminology.hl7.org/CodeSystem/endpoint-payload-type', code: 'any', display: 'Any' })],
          address: `mailto:${person.given.toLowerCase()}.${person.family.toLowerCase()}@direct.inpracsys.example.org`,
        },
      ],
      active: true,
      practitioner: reference(practitioner, name),
      organization: reference(practice, practice.name),
      code: [concept({ system: 'http://terminology.hl7.org/CodeSystem/practitioner-role', code: person.role, display: person.role === 'doctor' ? 'Doctor' : 'Nurse' })],
      specialty: [concept(person.specialty)],
      location: [reference(location, location.name)],
      telecom: [{ system: 'phone', value: `508-555-01${number}`, use: 'work' }],
      endpoint: [{ reference: '#direct' }],
    };
    const sees = person.role === 'nurse' ? 'everyone' : person.specialty === specialties.pediatrics ? 'children' : 'adults';
    return { practitioner, role, name, kind: person.role, sees };
  });

  const medications = new Map<string, Medication>();
  for (const drug of drugs) {
    medications.set(drug.code.code, {
      resourceType: 'Medication',
      id: `gen-med-${drug.code.code}`,
      meta: meta('us-core-medication'),
      code: concept(drug.code),
      status: 'active',
    });
  }
  return { organization: practice, laboratory, payers, clinicians, locations, medications };
}

/** The resources every patient refers to, in the order they must be loaded. */
export function practiceResources(practice: Practice): Resource[] {
  return [
    practice.organization,
    practice.laboratory,
    practice.payers.medicare,
    practice.payers.medicaid,
    practice.payers.commercial,
    ...practice.locations,
    ...practice.clinicians.map((clinician) => clinician.practitioner),
    ...practice.clinicians.map((clinician) => clinician.role),
    ...practice.medications.values(),
  ];
}
