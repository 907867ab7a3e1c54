/** A patient's clinical history: problems, allergies, visits and what happens at them, care planning. */
import type {
  AllergyIntolerance, CarePlan, CareTeam, CodeableConcept, Condition, DiagnosticReport, DocumentReference, Encounter, Goal, Immunization, MedicationRequest, Observation, Procedure,
  Reference, ServiceRequest, Specimen,
} from '@medplum/fhirtypes';
import {
  acuteDiagnoses, allergies, careTeamRoles, clinicalNotes, dataAbsentReasonSystem, dischargeDispositions, doseUnitNames, drugs, encounterKinds, goals,
  healthConcerns, implants, labPanels, noteReports, partialNonCompliance, problems, procedures, reactions, serviceRequestCategories, specimenConditions,
  system, vaccines, venipunctureSites, type Code, type Drug, type EncounterKind, type Problem,
} from './codes.js';
import { base64, concept, meta, observationCategory, reference, time, ucum } from './fhir.js';
import { bodyFor, recordAverageBloodPressure, recordDepressionScreening, recordPreferences, recordSocialHistory, recordVitalSigns } from './observations.js';
import { cliniciansFor } from './organization.js';
import { recordProvenance } from './provenance.js';
import { referenceDate, type PatientRecord, type Visit } from './record.js';

const assertedDateExtension = 'http://hl7.org/fhir/StructureDefinition/condition-assertedDate';

const clinicalStatus = (code: 'active' | 'resolved' | 'inactive'): Condition['clinicalStatus'] =>
  concept({ system: system.conditionClinical, code, display: code[0]!.toUpperCase() + code.slice(1) });
const confirmed = concept({ system: system.conditionVerification, code: 'confirmed', display: 'Confirmed' });
// The encounter table lists check-ups first and follow-ups second.
const checkUp = encounterKinds[0]!;
const followUp = encounterKinds[1]!;

/** Generates everything after the Patient: the record is complete when this returns. */
export function recordClinicalHistory(record: PatientRecord): void {
  const { random } = record;
  const body = bodyFor(record);
  const chronic = recordProblems(record);
  recordAllergies(record);
  const hypertensive = chronic.some((condition) => condition.code?.coding?.[0]?.code === '38341003');

  const visitTimes = scheduleVisits(record);
  const visits: Visit[] = [];
  const vaccinated = new Set<string>();
  for (const [number, start] of visitTimes.entries()) {
    const kind = number === 0 ? checkUp : weightedKind(record);
    const visit = recordEncounter(record, kind, start, chronic);
    visits.push(visit);
    const age = record.ageAt(start);
    if (kind.classCode !== 'VR') recordVitalSigns(record, visit, body);
    if (number === 0 || random.chance(0.15)) recordSocialHistory(record, visit);
    if (age >= 12 && kind === checkUp && random.chance(0.6)) recordDepressionScreening(record, visit);
    if (hypertensive && random.chance(0.3)) recordAverageBloodPressure(record, visit);
    if (random.chance(0.3)) recordLabPanel(record, visit);
    if (random.chance(0.35)) recordPrescription(record, visit);
    if (random.chance(0.18)) recordProcedure(record, visit);
    if (random.chance(0.08)) recordNoteReport(record, visit);
    const lastVisit = number === visitTimes.length - 1;
    const note = lastVisit || random.chance(0.55) ? recordClinicalNote(record, visit, kind) : undefined;
    recordImmunizations(record, visit, kind, vaccinated);
    if (lastVisit) {
      if (note && (age >= 40 || (age >= 18 && random.chance(0.3)))) recordPreferences(record, visit, note);
      if (age >= 50 && random.chance(0.25)) recordImplant(record, visit);
    }
    recordProvenance(record, visit.made, visit.end, visit.clinician);
  }
  recordCarePlanning(record, chronic, visits.at(-1)!);
}

function weightedKind(record: PatientRecord): EncounterKind {
  const total = encounterKinds.reduce((sum, kind) => sum + kind.weight, 0);
  let roll = record.random.next() * total;
  for (const kind of encounterKinds) {
    roll -= kind.weight;
    if (roll < 0) return kind;
  }
  return checkUp;
}

/** Visit times over the last years of the record, oldest first; older patients come more often. */
function scheduleVisits(record: PatientRecord): number[] {
  const { random, person } = record;
  const end = record.end - time.day;
  const start = Math.max(person.birth + 3 * time.day, end - 6 * time.year);
  const age = record.ageAt(end);
  const count = random.int(8, 24) + (age >= 60 ? 6 : 0) + (age < 2 ? 4 : 0);
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const day = Math.floor(start / time.day + random.next() * ((end - start) / time.day));
    times.push(day * time.day + random.int(8 * 4, 16 * 4) * 15 * 60_000);
  }
  return times.sort((a, b) => a - b);
}

function recordProblems(record: PatientRecord): Condition[] {
  const { random } = record;
  const age = record.ageAt(record.end);
  const candidates = problems.filter((problem) => problem.minAge <= age);
  const wanted = age < 18 ? random.int(0, 1) : age < 50 ? random.int(1, 3) : random.int(2, 5);
  const conditions = random.sample(candidates, wanted).map((problem) => problemCondition(record, problem));
  if (age >= 18 && random.chance(0.4)) {
    const concern = random.pick(healthConcerns);
    const recorded = record.end - random.int(30, 900) * time.day;
    const condition = record.add<Condition>({
      resourceType: 'Condition',
      id: record.id('cond'),
      meta: meta('us-core-condition-problems-health-concerns', time.instant(recorded)),
      extension: [{ url: assertedDateExtension, valueDateTime: time.date(recorded) }],
      clinicalStatus: clinicalStatus('active'),
      verificationStatus: confirmed,
      category: [
        concept({ system: system.usCoreConditionCategory, code: 'health-concern', display: 'Health Concern' }),
        concept({ system: system.usCoreCategory, code: 'sdoh', display: 'SDOH' }),
      ],
      code: concept(concern),
      subject: record.patientRef,
      onsetDateTime: time.date(recorded - random.int(0, 365) * time.day),
      recordedDate: time.dateTime(recorded),
      recorder: reference(record.clinician.practitioner, record.clinician.name),
    });
    conditions.push(condition);
  }
  return conditions;
}

function problemCondition(record: PatientRecord, problem: Problem): Condition {
  const { random, person } = record;
  const onset = Math.max(person.birth + problem.minAge * time.year, record.end - random.int(1, 15) * time.year);
  const recorded = Math.min(onset + random.int(0, 60) * time.day, record.end);
  const resolved = !problem.chronic || random.chance(0.1);
  const condition: Condition = {
    resourceType: 'Condition',
    id: record.id('cond'),
    meta: meta('us-core-condition-problems-health-concerns', time.instant(recorded)),
    extension: [{ url: assertedDateExtension, valueDateTime: time.date(onset) }],
    clinicalStatus: clinicalStatus(resolved ? 'resolved' : 'active'),
    verificationStatus: confirmed,
    category: [concept({ system: system.conditionCategory, code: 'problem-list-item', display: 'Problem List Item' })],
    code: concept(problem.code),
    subject: record.patientRef,
    onsetDateTime: time.date(onset),
    recordedDate: time.dateTime(recorded),
    recorder: reference(record.clinician.practitioner, record.clinician.name),
  };
  if (resolved) condition.abatementDateTime = time.date(Math.min(recorded + random.int(30, 720) * time.day, record.end));
  return record.add(condition);
}

function recordAllergies(record: PatientRecord): void {
  const { random } = record;
  const count = random.chance(0.35) ? 0 : random.int(1, 3);
  for (const allergy of random.sample(allergies, count)) {
    const recorded = Math.min(record.end, Math.max(record.person.birth + 0.5 * time.year, record.end - random.int(60, 3000) * time.day));
    const verified = random.chance(0.85);
    record.add<AllergyIntolerance>({
      resourceType: 'AllergyIntolerance',
      id: record.id('alg'),
      meta: meta('us-core-allergyintolerance'),
      clinicalStatus: concept({ system: system.allergyClinical, code: 'active', display: 'Active' }),
      verificationStatus: concept(
        verified
          ? { system: system.allergyVerification, code: 'confirmed', display: 'Confirmed' }
          : { system: system.allergyVerification, code: 'unconfirmed', display: 'Unconfirmed' },
      ),
      type: 'allergy',
      category: [allergy.category],
      criticality: random.pick(['low', 'high'] as const),
      code: concept(allergy.code),
      patient: record.patientRef,
      recordedDate: time.dateTime(recorded),
      recorder: reference(record.clinician.practitioner, record.clinician.name),
      reaction: [{ manifestation: [concept(random.pick(reactions))], severity: random.pick(['mild', 'moderate', 'severe'] as const) }],
    });
  }
}

function recordEncounter(record: PatientRecord, kind: EncounterKind, start: number, chronic: Condition[]): Visit {
  const { random, practice } = record;
  const end = Math.min(start + kind.minutes * 60_000, record.end);
  const clinician = random.chance(0.8) ? record.clinician : random.pick(cliniciansFor(practice, record.ageAt(start)));
  const location = practice.locations[clinician === record.clinician ? 0 : random.int(0, practice.locations.length - 1)]!;
  const encounter: Encounter = {
    resourceType: 'Encounter',
    id: record.id('enc'),
    meta: meta('us-core-encounter', time.instant(end)),
    identifier: [{ use: 'usual', system: 'https://inpracsys.example.org/identifiers/encounter', value: `V${random.digits(9)}` }],
    status: 'finished',
    class: { system: system.actCode, code: kind.classCode, display: kind.classDisplay },
    type: [concept(kind.type)],
    subject: record.patientRef,
    participant: [
      {
        type: [concept({ system: system.participationType, code: 'PPRF', display: 'primary performer' })],
        period: { start: time.dateTime(start), end: time.dateTime(end) },
        individual: reference(clinician.practitioner, clinician.name),
      },
    ],
    period: { start: time.dateTime(start), end: time.dateTime(end) },
    location: [{ location: reference(location, location.name), status: 'completed' }],
    serviceProvider: reference(practice.organization, practice.organization.name),
  };
  if (kind.classCode === 'EMER' || kind.classCode === 'IMP') {
    encounter.hospitalization = { dischargeDisposition: concept(random.chance(0.85) ? dischargeDispositions[0]! : random.pick(dischargeDispositions)) };
  }
  record.add(encounter);
  const visit: Visit = {
    encounter: reference(encounter, kind.type.display),
    start,
    end,
    clinician,
    location: reference(location, location.name),
    made: [reference(encounter)],
  };

  const followsUp = kind === followUp && chronic.length > 0;
  if (followsUp) visit.reason = random.pick(chronic);
  else if (kind !== checkUp) visit.reason = recordDiagnosis(record, visit);
  if (visit.reason) {
    encounter.reasonCode = [visit.reason.code!];
    encounter.reasonReference = [reference(visit.reason)];
  }
  return visit;
}

function recordDiagnosis(record: PatientRecord, visit: Visit): Condition {
  const { random } = record;
  const code = random.pick(acuteDiagnoses);
  const resolvedAt = visit.start + random.int(7, 21) * time.day;
  const resolved = resolvedAt < record.end;
  const condition: Condition = {
    resourceType: 'Condition',
    id: record.id('cond'),
    meta: meta('us-core-condition-encounter-diagnosis'),
    extension: [{ url: assertedDateExtension, valueDateTime: time.date(visit.start) }],
    clinicalStatus: clinicalStatus(resolved ? 'resolved' : 'active'),
    verificationStatus: confirmed,
    category: [concept({ system: system.conditionCategory, code: 'encounter-diagnosis', display: 'Encounter Diagnosis' })],
    code: concept(code),
    subject: record.patientRef,
    encounter: visit.encounter,
    onsetDateTime: time.date(visit.start - random.int(0, 5) * time.day),
    recordedDate: time.dateTime(visit.start + 20 * 60_000),
    recorder: reference(visit.clinician.practitioner, visit.clinician.name),
  };
  if (resolved) condition.abatementDateTime = time.date(resolvedAt);
  return record.addDuring(visit, condition);
}

/** `reasonCode` and `reasonReference` citing the visit's reason, when it has one. */
function reasons(visit: Visit): { reasonCode?: CodeableConcept[]; reasonReference?: Reference<Condition>[] } {
  return visit.reason ? { reasonCode: [visit.reason.code!], reasonReference: [reference(visit.reason)] } : {};
}

function serviceRequest(record: PatientRecord, visit: Visit, category: Code, code: Code): ServiceRequest {
  return record.addDuring(visit, {
    resourceType: 'ServiceRequest',
    id: record.id('sr'),
    meta: meta('us-core-servicerequest'),
    status: 'completed',
    intent: 'order',
    category: [concept(category)],
    code: concept(code),
    subject: record.patientRef,
    encounter: visit.encounter,
    occurrenceDateTime: time.dateTime(visit.start + 30 * 60_000),
    authoredOn: time.dateTime(visit.start + 15 * 60_000),
    requester: reference(visit.clinician.practitioner, visit.clinician.name),
    ...reasons(visit),
  });
}

const interpretation = (code: 'N' | 'H' | 'L', display: string): Observation['interpretation'] => [
  concept({ system: system.interpretation, code, display }),
];

/** A lab order: the ServiceRequest, the Specimen, one Observation per result and the DiagnosticReport. */
function recordLabPanel(record: PatientRecord, visit: Visit): void {
  const { random, practice } = record;
  const panel = random.pick(labPanels);
  const order = serviceRequest(record, visit, serviceRequestCategories.laboratory, panel.code);
  const collected = visit.start + 40 * 60_000;
  const issued = time.instant(visit.start + time.day);
  const accession = `ACC${random.digits(8)}`;
  const specimen: Specimen = record.addDuring(visit, {
    resourceType: 'Specimen',
    id: record.id('spec'),
    meta: meta('us-core-specimen'),
    identifier: [{ system: 'https://inpracsys.example.org/identifiers/specimen', value: `S${random.digits(8)}` }],
    accessionIdentifier: { system: 'https://inpracsys.example.org/identifiers/accession', value: accession },
    status: 'available',
    type: concept(panel.specimen),
    subject: record.patientRef,
    receivedTime: time.dateTime(collected + 2 * 60 * 60_000),
    request: [reference(order)],
    collection: {
      collectedDateTime: time.dateTime(collected),
      collector: reference(visit.clinician.practitioner, visit.clinician.name),
      ...(panel.specimen.code === '122575003' ? {} : { bodySite: concept(random.pick(venipunctureSites)) }),
    },
    condition: [concept(random.pick(specimenConditions))],
  });
  const results = panel.results.map((measure) => {
    const observation: Observation = {
      resourceType: 'Observation',
      id: record.id('obs'),
      meta: meta('us-core-observation-lab', issued),
      status: 'final',
      category: [observationCategory.laboratory],
      code: concept(measure.code),
      subject: record.patientRef,
      encounter: visit.encounter,
      effectiveDateTime: time.dateTime(collected),
      issued,
      performer: [reference(practice.laboratory, practice.laboratory.name)],
      specimen: reference(specimen),
      referenceRange: [{ low: ucum(measure.low, measure.unit), high: ucum(measure.high, measure.unit) }],
    };
    if (random.chance(0.02)) {
      // A hemolyzed sample: the lab reports no value and says why.
      observation.dataAbsentReason = concept({ system: dataAbsentReasonSystem, code: 'error', display: 'Error' });
      return record.addDuring(visit, observation);
    }
    const span = measure.high - measure.low;
    const value = random.decimal(measure.low - span * 0.15, measure.high + span * 0.15, measure.digits);
    observation.valueQuantity = ucum(value, measure.unit);
    observation.interpretation = value > measure.high ? interpretation('H', 'High') : value < measure.low ? interpretation('L', 'Low') : interpretation('N', 'Normal');
    return record.addDuring(visit, observation);
  });
  record.addDuring<DiagnosticReport>(visit, {
    resourceType: 'DiagnosticReport',
    id: record.id('dr'),
    meta: meta('us-core-diagnosticreport-lab', issued),
    basedOn: [reference(order)],
    status: 'final',
    category: [concept({ system: 'http://terminology.hl7.org/CodeSystem/v2-0074', code: 'LAB', display: 'Laboratory' })],
    code: concept(panel.code),
    subject: record.patientRef,
    encounter: visit.encounter,
    effectiveDateTime: time.dateTime(collected),
    issued,
    performer: [reference(practice.laboratory, practice.laboratory.name)],
    specimen: [reference(specimen)],
    result: results.map((result) => reference(result)),
  });
}

/** An imaging or cardiology report written as a note, with its coded finding and the order. */
function recordNoteReport(record: PatientRecord, visit: Visit): void {
  const { random } = record;
  const study = random.pick(noteReports);
  const cardiology = study.category.code === 'LP29708-2';
  const order = serviceRequest(record, visit, serviceRequestCategories.imaging, study.code);
  const effective = time.dateTime(visit.start + 45 * 60_000);
  const issued = time.instant(visit.start + 3 * 60 * 60_000);
  const finding: Observation = record.addDuring(visit, {
    resourceType: 'Observation',
    id: record.id('obs'),
    meta: meta('us-core-observation-clinical-result'),
    status: 'final',
    category: [cardiology ? { coding: [{ system: system.observationCategory, code: 'procedure', display: 'Procedure' }], text: 'Procedure' } : observationCategory.imaging],
    code: concept(study.code),
    subject: record.patientRef,
    encounter: visit.encounter,
    effectiveDateTime: effective,
    issued,
    performer: [reference(visit.clinician.practitioner, visit.clinician.name)],
    valueCodeableConcept: concept(study.finding),
  });
  const report: DiagnosticReport = {
    resourceType: 'DiagnosticReport',
    id: record.id('dr'),
    meta: meta('us-core-diagnosticreport-note'),
    basedOn: [reference(order)],
    status: 'final',
    category: [concept(study.category)],
    code: concept(study.code),
    subject: record.patientRef,
    encounter: visit.encounter,
    effectiveDateTime: effective,
    issued,
    performer: [reference(visit.clinician.practitioner, visit.clinician.name)],
    result: [reference(finding)],
    conclusion: study.text,
    presentedForm: [{ contentType: 'text/plain', language: 'en-US', data: base64(`${study.code.display}\n\n${study.text}\n`), title: study.code.display }],
  };
  if (cardiology) {
    // The rhythm strip travels with the report as a contained Media resource.
    report.contained = [
      {
        resourceType: 'Media',
        id: 'strip',
        status: 'completed',
        subject: record.patientRef,
        createdDateTime: effective,
        content: { contentType: 'image/png', data: onePixelPng, title: 'Rhythm strip' },
      },
    ];
    report.media = [{ comment: 'Rhythm strip', link: { reference: '#strip' } }];
  }
  record.addDuring(visit, report);
}

const onePixelPng = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

function recordClinicalNote(record: PatientRecord, visit: Visit, kind: EncounterKind): DocumentReference {
  const { random, practice } = record;
  const note = kind.classCode === 'IMP' ? clinicalNotes[3]! : random.pick(clinicalNotes.slice(0, 3));
  const written = visit.end + random.int(5, 120) * 60_000;
  const text = `${note.type.display}\nPatient: ${record.person.displayName}\nDate: ${time.date(visit.start)}\nAuthor: ${visit.clinician.name}\n\n${note.text}\n`;
  return record.addDuring<DocumentReference>(visit, {
    resourceType: 'DocumentReference',
    id: record.id('doc'),
    meta: meta('us-core-documentreference'),
    identifier: [{ system: 'urn:ietf:rfc:3986', value: `urn:uuid:${uuidFrom(record.id('docid'))}` }],
    status: 'current',
    docStatus: 'final',
    type: concept(note.type),
    category: [concept({ system: system.documentCategory, code: 'clinical-note', display: 'Clinical Note' })],
    subject: record.patientRef,
    date: time.instant(written),
    author: [reference(visit.clinician.practitioner, visit.clinician.name)],
    custodian: reference(practice.organization, practice.organization.name),
    content: [
      {
        attachment: { contentType: 'text/plain', language: 'en-US', data: base64(text), title: note.type.display, creation: time.dateTime(written) },
        format: { system: 'http://ihe.net/fhir/ihe.formatcode.fhir/CodeSystem/formatcode', code: 'urn:ihe:iti:xds:2017:mimeTypeSufficient', display: 'mimeType Sufficient' },
      },
    ],
    context: { encounter: [visit.encounter], period: { start: time.dateTime(visit.start), end: time.dateTime(visit.end) } },
  });
}

/** A UUID-shaped identifier derived from a generated id (stable across runs, unlike randomUUID). */
function uuidFrom(text: string): string {
  let hex = '';
  let hash = 0x811c9dc5;
  for (let round = 0; hex.length < 32; round++) {
    for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
    hash = Math.imul(hash ^ round, 0x01000193) >>> 0;
    hex += hash.toString(16).padStart(8, '0');
  }
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function recordPrescription(record: PatientRecord, visit: Visit): void {
  const { random, practice } = record;
  const age = record.ageAt(visit.start);
  const drug: Drug = random.pick(drugs.filter((candidate) => candidate.minAge <= age));
  const medication = practice.medications.get(drug.code.code)!;
  const byReference = random.chance(0.5);
  const days = 30;
  const unitName = doseUnitNames[drug.doseUnit];
  const dose = ucum(drug.doseValue, drug.doseUnit, unitName);
  const dosage = {
    text: drug.text,
    timing: { repeat: { frequency: drug.timesPerDay, period: 1, periodUnit: 'd' as const } },
    route: concept({ system: system.snomed, code: drug.doseUnit === '{puff}' ? '18679011000001101' : '26643006', display: drug.doseUnit === '{puff}' ? 'Inhalation' : 'Oral route' }),
    doseAndRate: [{ doseQuantity: dose }],
  };
  const authored = visit.start + 25 * 60_000;
  const active = authored > record.end - 90 * time.day;
  const request: MedicationRequest = record.addDuring(visit, {
    resourceType: 'MedicationRequest',
    id: record.id('medrx'),
    meta: meta('us-core-medicationrequest'),
    status: active ? 'active' : 'completed',
    intent: 'order',
    category: [concept({ system: system.medicationRequestCategory, code: 'outpatient', display: 'Outpatient' })],
    reportedBoolean: false,
    ...(byReference ? { medicationReference: reference(medication, drug.code.display) } : { medicationCodeableConcept: concept(drug.code) }),
    subject: record.patientRef,
    encounter: visit.encounter,
    authoredOn: time.dateTime(authored),
    requester: reference(visit.clinician.practitioner, visit.clinician.name),
    dosageInstruction: [dosage],
    ...reasons(visit),
    dispenseRequest: {
      validityPeriod: { start: time.date(authored), end: time.date(authored + 365 * time.day) },
      numberOfRepeatsAllowed: random.int(0, 5),
      quantity: ucum(drug.doseValue * drug.timesPerDay * days, drug.doseUnit, unitName),
      expectedSupplyDuration: { value: days, unit: 'days', system: system.ucum, code: 'd' },
    },
  });
  if (random.chance(0.15)) {
    // At a later check the patient said they miss doses.
    request.extension = [
      {
        url: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-medication-adherence',
        extension: [
          { url: 'medicationAdherence', valueCodeableConcept: concept(partialNonCompliance) },
          { url: 'dateAsserted', valueDateTime: time.dateTime(Math.min(authored + random.int(20, 90) * time.day, record.end)) },
          { url: 'informationSource', valueCodeableConcept: concept(careTeamRoles.patient) },
        ],
      },
    ];
  }
  if (random.chance(0.6)) {
    const handedOver = Math.min(authored + random.int(1, 48) * 60 * 60_000, record.end);
    record.addDuring(visit, {
      resourceType: 'MedicationDispense',
      id: record.id('meddisp'),
      meta: meta('us-core-medicationdispense'),
      status: 'completed',
      ...(byReference ? { medicationReference: reference(medication, drug.code.display) } : { medicationCodeableConcept: concept(drug.code) }),
      subject: record.patientRef,
      context: visit.encounter,
      performer: [{ actor: reference(practice.organization, practice.organization.name) }],
      authorizingPrescription: [reference(request)],
      type: concept({ system: system.actCode, code: 'FF', display: 'First Fill' }),
      quantity: request.dispenseRequest!.quantity!,
      daysSupply: { value: days, unit: 'days', system: system.ucum, code: 'd' },
      whenHandedOver: time.dateTime(handedOver),
      dosageInstruction: [dosage],
    });
  }
}

function recordProcedure(record: PatientRecord, visit: Visit): void {
  const { random } = record;
  const code = random.pick(procedures);
  const started = visit.start + 20 * 60_000;
  const procedure: Procedure = {
    resourceType: 'Procedure',
    id: record.id('proc'),
    meta: meta('us-core-procedure'),
    status: 'completed',
    code: concept(code),
    subject: record.patientRef,
    encounter: visit.encounter,
    performer: [{ actor: reference(visit.clinician.practitioner, visit.clinician.name) }],
    location: visit.location,
    ...reasons(visit),
  };
  if (random.chance(0.5)) procedure.basedOn = [reference(serviceRequest(record, visit, serviceRequestCategories.diagnostic, code))];
  if (random.chance(0.5)) procedure.performedDateTime = time.dateTime(started);
  else procedure.performedPeriod = { start: time.dateTime(started), end: time.dateTime(started + random.int(10, 45) * 60_000) };
  record.addDuring(visit, procedure);
}

/** Vaccines due at the patient's age, given at check-ups (and the flu shot in season). */
function recordImmunizations(record: PatientRecord, visit: Visit, kind: EncounterKind, given: Set<string>): void {
  const { random } = record;
  if (kind.classCode === 'VR') return;
  const age = record.ageAt(visit.start);
  const month = new Date(visit.start).getUTCMonth();
  const season = new Date(visit.start).getUTCFullYear() - (month < 8 ? 1 : 0);
  const due = vaccines.filter((vaccine) => vaccine.minAge <= age && age <= vaccine.maxAge);
  for (const vaccine of due) {
    const flu = vaccine.code.code === '140';
    // One flu shot per season (September to February); other vaccines at check-ups, at most one dose a year of age.
    const dose = flu ? `${vaccine.code.code}:season-${season}` : `${vaccine.code.code}:age-${age}`;
    if (given.has(dose)) continue;
    if (flu ? !(month >= 8 || month <= 1) || !random.chance(0.6) : kind !== checkUp || !random.chance(0.4)) continue;
    given.add(dose);
    const refused = random.chance(0.05);
    const immunization: Immunization = {
      resourceType: 'Immunization',
      id: record.id('imm'),
      meta: meta('us-core-immunization'),
      status: refused ? 'not-done' : 'completed',
      vaccineCode: concept(vaccine.code),
      patient: record.patientRef,
      encounter: visit.encounter,
      occurrenceDateTime: time.dateTime(visit.start + 35 * 60_000),
      primarySource: true,
      location: visit.location,
    };
    if (refused) {
      immunization.statusReason = concept({ system: system.immunizationStatusReason, code: 'PATOBJ', display: 'patient objection' });
    } else {
      immunization.lotNumber = `${String.fromCharCode(65 + random.int(0, 25))}${random.digits(5)}`;
      immunization.expirationDate = time.date(visit.start + random.int(60, 700) * time.day);
      immunization.performer = [{ actor: reference(visit.clinician.practitioner, visit.clinician.name) }];
    }
    record.addDuring(visit, immunization);
  }
}

function recordImplant(record: PatientRecord, visit: Visit): void {
  const { random } = record;
  const type = random.pick(implants);
  const deviceIdentifier = `0${random.digits(13)}`;
  const expires = new Date(visit.start + random.int(2, 8) * time.year);
  const yymmdd = expires.toISOString().slice(2, 10).replaceAll('-', '');
  const lot = `${random.digits(7)}D`;
  const serial = `${random.digits(8)}`;
  record.addDuring(visit, {
    resourceType: 'Device',
    id: record.id('dev'),
    meta: meta('us-core-implantable-device'),
    udiCarrier: [{ deviceIdentifier, carrierHRF: `(01)${deviceIdentifier}(17)${yymmdd}(10)${lot}(21)${serial}` }],
    distinctIdentifier: `${lot}-${serial}`,
    status: 'active',
    manufactureDate: time.dateTime(visit.start - random.int(30, 400) * time.day),
    expirationDate: time.dateTime(expires.getTime()),
    lotNumber: lot,
    serialNumber: serial,
    type: concept(type),
    patient: record.patientRef,
  });
}

/** The care team, the goals and the assessment-and-plan that ties them to the problems. */
function recordCarePlanning(record: PatientRecord, chronic: Condition[], last: Visit): void {
  const { random, practice } = record;
  const nurse = cliniciansFor(practice, record.ageAt(last.start), 'nurse')[0]!;
  const relatedPerson = record.resources.find((resource) => resource.resourceType === 'RelatedPerson');
  const made: Reference[] = [];
  const add = <T extends CarePlan | CareTeam | Goal>(resource: T): T => {
    made.push({ reference: `${resource.resourceType}/${resource.id}` });
    return record.add(resource);
  };
  const team = add({
    resourceType: 'CareTeam',
    id: record.id('team'),
    meta: meta('us-core-careteam'),
    status: 'active',
    name: `${record.person.displayName} care team`,
    subject: record.patientRef,
    period: { start: time.date(Math.max(record.person.birth, referenceDate - 6 * time.year)) },
    participant: [
      { role: [concept(careTeamRoles.primaryCare)], member: reference(record.clinician.practitioner, record.clinician.name) },
      { role: [concept(careTeamRoles.nurse)], member: reference(nurse.role) },
      { role: [concept(careTeamRoles.patient)], member: record.patientRef },
      ...(relatedPerson ? [{ role: [concept(careTeamRoles.caregiver)], member: reference(relatedPerson) }] : []),
    ],
    managingOrganization: [reference(practice.organization, practice.organization.name)],
  });
  const goalResources = random.sample(goals, chronic.length > 0 ? random.int(1, 2) : 1).map((goal) =>
    add<Goal>({
      resourceType: 'Goal',
      id: record.id('goal'),
      meta: meta('us-core-goal'),
      lifecycleStatus: 'active',
      achievementStatus: concept({ system: 'http://terminology.hl7.org/CodeSystem/goal-achievement', code: 'in-progress', display: 'In Progress' }),
      description: goal.code ? concept(goal.code, goal.text) : { text: goal.text },
      subject: record.patientRef,
      startDate: time.date(last.start),
      target: [{ dueDate: time.date(last.start + random.int(90, 365) * time.day) }],
      expressedBy: reference(record.clinician.practitioner, record.clinician.name),
      addresses: chronic.slice(0, 2).map((condition) => reference(condition)),
    }),
  );
  const problemsText = chronic.map((condition) => condition.code?.text).filter(Boolean).join('; ') || 'Routine preventive care';
  add<CarePlan>({
    resourceType: 'CarePlan',
    id: record.id('plan'),
    meta: meta('us-core-careplan'),
    text: {
      status: 'generated',
      div: `<div xmlns="http://www.w3.org/1999/xhtml"><p>Assessment: ${escapeXml(problemsText)}.</p><p>Plan: ${escapeXml(goalResources.map((goal) => goal.description.text).join('; '))}.</p></div>`,
    },
    status: 'active',
    intent: 'plan',
    category: [concept({ system: system.carePlanCategory, code: 'assess-plan', display: 'Assessment and Plan of Treatment' })],
    title: 'Assessment and plan',
    subject: record.patientRef,
    encounter: last.encounter,
    period: { start: time.date(last.start) },
    created: time.dateTime(last.end),
    author: reference(record.clinician.practitioner, record.clinician.name),
    careTeam: [reference(team)],
    addresses: chronic.map((condition) => reference(condition)),
    goal: goalResources.map((goal) => reference(goal)),
  });
  const history = record.resources
    .filter((resource) => ['Patient', 'RelatedPerson', 'Coverage', 'Condition', 'AllergyIntolerance'].includes(resource.resourceType) && !(resource as Condition).encounter)
    .map((resource) => ({ reference: `${resource.resourceType}/${resource.id}` }));
  recordProvenance(record, [...history, ...made], last.end, record.clinician);
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
