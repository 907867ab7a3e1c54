/** Observations: vital signs (adult and pediatric), social history, preferences and screenings. */
import type { DocumentReference, Observation, ObservationComponent, QuestionnaireResponse, Quantity } from '@medplum/fhirtypes';
import {
  dataAbsentReasonSystem, functionalStatuses, occupations, phq2, pregnancyIntents, pregnancyStatuses, sexualOrientations, smokingStatuses, system, vitalSign,
  type Code,
} from './codes.js';
import { coding, concept, meta, observationCategory, reference, time, ucum, usCoreCategory, type UsCoreProfile } from './fhir.js';
import type { PatientRecord, Visit } from './record.js';

/** A patient's body: the adult height and BMI they grow towards. */
export interface Body {
  adultHeight: number;
  adultBmi: number;
}

export function bodyFor(record: PatientRecord): Body {
  const { random, person } = record;
  return {
    adultHeight: (person.sex === 'male' ? 177 : 163) + random.decimal(-9, 9, 1),
    adultBmi: random.decimal(19, 36, 1),
  };
}

function heightAt(body: Body, age: number): number {
  if (age < 2) return 50 + (age / 2) * 37;
  if (age < 18) return 87 + ((body.adultHeight - 87) * (age - 2)) / 16;
  return body.adultHeight;
}

function weightAt(body: Body, age: number): number {
  if (age < 1) return 3.4 + 6.6 * age;
  if (age < 2) return 10 + 2.5 * (age - 1);
  const adultWeight = body.adultBmi * (body.adultHeight / 100) ** 2;
  if (age < 18) return 12.5 + (adultWeight - 12.5) * ((age - 2) / 16) ** 1.3;
  return adultWeight;
}

interface VitalSpec {
  profile: UsCoreProfile;
  code: Code;
  value?: Quantity;
  component?: ObservationComponent[];
  extraCodes?: Code[];
}

function vital(record: PatientRecord, visit: Visit, spec: VitalSpec): Observation {
  const codes = [...(spec.extraCodes ?? []), spec.code];
  const observation: Observation = {
    resourceType: 'Observation',
    id: record.id('obs'),
    meta: meta(spec.profile),
    status: 'final',
    category: [observationCategory.vitalSigns],
    code: { coding: codes.map(coding), text: spec.code.display },
    subject: record.patientRef,
    encounter: visit.encounter,
    effectiveDateTime: time.dateTime(visit.start + 10 * 60_000),
    issued: time.instant(visit.start + 15 * 60_000),
    performer: [reference(visit.clinician.practitioner, visit.clinician.name)],
  };
  if (spec.value) observation.valueQuantity = spec.value;
  if (spec.component) observation.component = spec.component;
  return record.addDuring(visit, observation);
}

function component(code: Code, value: Quantity): ObservationComponent {
  return { code: concept(code), valueQuantity: value };
}

/** The vital signs taken at a visit, chosen for the patient's age at the time. */
export function recordVitalSigns(record: PatientRecord, visit: Visit, body: Body): void {
  const { random } = record;
  const exactAge = (visit.start - record.person.birth) / time.year;
  const height = heightAt(body, exactAge) * random.decimal(0.99, 1.01, 3);
  const weight = weightAt(body, exactAge) * random.decimal(0.96, 1.04, 3);
  const child = exactAge < 12;
  const infant = exactAge < 2;

  if (exactAge >= 3) {
    const [systolic, diastolic] = child ? [random.int(90, 115), random.int(55, 75)] : [random.int(105, 150), random.int(65, 95)];
    vital(record, visit, {
      profile: 'us-core-blood-pressure',
      code: vitalSign.bloodPressure,
      component: [
        component(vitalSign.systolic, ucum(systolic, 'mm[Hg]')),
        // Now and then the diastolic pressure could not be heard: recorded as absent, not guessed.
        random.chance(0.02)
          ? { code: concept(vitalSign.diastolic), dataAbsentReason: concept({ system: dataAbsentReasonSystem, code: 'unknown', display: 'Unknown' }) }
          : component(vitalSign.diastolic, ucum(diastolic, 'mm[Hg]')),
      ],
    });
  }
  const heartRate = infant ? random.int(100, 160) : child ? random.int(70, 120) : random.int(58, 100);
  vital(record, visit, { profile: 'us-core-heart-rate', code: vitalSign.heartRate, value: ucum(heartRate, '/min', 'beats/minute') });
  const breathing = infant ? random.int(30, 50) : child ? random.int(18, 30) : random.int(12, 20);
  vital(record, visit, { profile: 'us-core-respiratory-rate', code: vitalSign.respiratoryRate, value: ucum(breathing, '/min', 'breaths/minute') });
  const temperature = vital(record, visit, { profile: 'us-core-body-temperature', code: vitalSign.bodyTemperature, value: ucum(random.decimal(36.1, 37.6, 1), 'Cel', 'C') });
  if (random.chance(0.02)) {
    delete temperature.valueQuantity;
    temperature.dataAbsentReason = concept({ system: dataAbsentReasonSystem, code: 'not-performed', display: 'Not Performed' });
  }
  vital(record, visit, { profile: 'us-core-body-weight', code: vitalSign.bodyWeight, value: ucum(round(weight, 1), 'kg') });
  vital(record, visit, { profile: 'us-core-body-height', code: vitalSign.bodyHeight, value: ucum(round(height, 1), 'cm') });
  if (exactAge >= 2) {
    vital(record, visit, { profile: 'us-core-bmi', code: vitalSign.bmi, value: ucum(round(weight / (height / 100) ** 2, 1), 'kg/m2') });
  }
  const pulseOximetry: VitalSpec = {
    profile: 'us-core-pulse-oximetry',
    code: vitalSign.oxygenSaturation,
    extraCodes: [vitalSign.pulseOximetry],
    value: ucum(random.int(94, 100), '%'),
  };
  if (!child && random.chance(0.08)) {
    pulseOximetry.value = ucum(random.int(90, 96), '%');
    pulseOximetry.component = [
      component(vitalSign.inhaledOxygenFlowRate, ucum(random.int(1, 4), 'L/min')),
      component(vitalSign.inhaledOxygenConcentration, ucum(random.int(24, 36), '%')),
    ];
  }
  vital(record, visit, pulseOximetry);

  if (exactAge < 3) {
    const head = 35 + 12 * Math.min(exactAge / 2, 1) + random.decimal(-1, 1, 1);
    vital(record, visit, { profile: 'us-core-head-circumference', code: vitalSign.headCircumference, value: ucum(round(head, 1), 'cm') });
    vital(record, visit, { profile: 'head-occipital-frontal-circumference-percentile', code: vitalSign.headCircumferencePercentile, value: ucum(random.int(5, 95), '%') });
  }
  if (infant) {
    vital(record, visit, { profile: 'pediatric-weight-for-height', code: vitalSign.weightForLength, value: ucum(random.int(5, 95), '%') });
  } else if (exactAge < 20) {
    vital(record, visit, { profile: 'pediatric-bmi-for-age', code: vitalSign.bmiForAge, value: ucum(random.int(5, 95), '%') });
  }
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** The mean of home blood pressure readings, reported at a visit by a patient with hypertension. */
export function recordAverageBloodPressure(record: PatientRecord, visit: Visit): void {
  const { random } = record;
  record.addDuring(visit, {
    resourceType: 'Observation',
    id: record.id('obs'),
    meta: meta('us-core-average-blood-pressure'),
    status: 'final',
    category: [observationCategory.vitalSigns],
    code: concept(vitalSign.averageBloodPressure),
    subject: record.patientRef,
    encounter: visit.encounter,
    effectivePeriod: { start: time.dateTime(visit.start - 14 * time.day), end: time.dateTime(visit.start - time.day) },
    performer: [record.patientRef],
    component: [
      component(vitalSign.averageSystolic, ucum(random.int(118, 150), 'mm[Hg]')),
      // Some wrist monitors report only the systolic mean.
      random.chance(0.15)
        ? { code: concept(vitalSign.averageDiastolic), dataAbsentReason: concept({ system: dataAbsentReasonSystem, code: 'unknown', display: 'Unknown' }) }
        : component(vitalSign.averageDiastolic, ucum(random.int(70, 95), 'mm[Hg]')),
    ],
  });
}

function socialObservation(record: PatientRecord, visit: Visit, profile: UsCoreProfile, code: Code): Observation {
  return {
    resourceType: 'Observation',
    id: record.id('obs'),
    meta: meta(profile),
    status: 'final',
    category: [observationCategory.socialHistory],
    code: concept(code),
    subject: record.patientRef,
    encounter: visit.encounter,
    effectiveDateTime: time.dateTime(visit.start + 5 * 60_000),
    performer: [reference(visit.clinician.practitioner, visit.clinician.name)],
  };
}

const loinc = (code: string, display: string): Code => ({ system: system.loinc, code, display });

/** Social history asked at a visit: smoking, sexual orientation, pregnancy, occupation, as the age fits. */
export function recordSocialHistory(record: PatientRecord, visit: Visit): void {
  const { random, person } = record;
  const age = record.ageAt(visit.start);
  if (age >= 13) {
    const status = age < 18 ? smokingStatuses[0]! : random.pick(smokingStatuses);
    const smoking = socialObservation(record, visit, 'us-core-smokingstatus', loinc('72166-2', 'Tobacco smoking status'));
    smoking.valueCodeableConcept = concept(status);
    record.addDuring(visit, smoking);
    if (status.code !== '266919005') {
      const packYears = socialObservation(record, visit, 'us-core-smokingstatus', loinc('8664-7', 'Tobacco use and exposure [Pack-years]'));
      packYears.valueQuantity = { value: random.int(1, 40), unit: 'pack-years', system: system.ucum, code: '{PackYears}' };
      record.addDuring(visit, packYears);
    }
  }
  if (age >= 18) {
    const orientation = socialObservation(record, visit, 'us-core-observation-sexual-orientation', loinc('76690-7', 'Sexual orientation'));
    orientation.valueCodeableConcept = concept(random.chance(0.85) ? sexualOrientations[0]! : random.pick(sexualOrientations));
    record.addDuring(visit, orientation);
  }
  if (person.sex === 'female' && age >= 15 && age <= 50) {
    const pregnancy = socialObservation(record, visit, 'us-core-observation-pregnancystatus', loinc('82810-3', 'Pregnancy status'));
    pregnancy.valueCodeableConcept = concept(random.chance(0.9) ? pregnancyStatuses[0]! : random.pick(pregnancyStatuses));
    record.addDuring(visit, pregnancy);
    const intent = socialObservation(record, visit, 'us-core-observation-pregnancyintent', loinc('86645-9', 'Pregnancy intention in the next year - Reported'));
    intent.valueCodeableConcept = concept(random.pick(pregnancyIntents));
    record.addDuring(visit, intent);
  }
  if (age >= 18 && age < 70) {
    const job = random.pick(occupations);
    const occupation = socialObservation(record, visit, 'us-core-observation-occupation', loinc('11341-5', 'History of Occupation'));
    delete occupation.effectiveDateTime;
    occupation.effectivePeriod = { start: time.date(Math.max(record.person.birth + 18 * time.year, visit.start - random.int(1, 20) * time.year)) };
    occupation.valueCodeableConcept = concept(job.occupation);
    occupation.component = [{ code: concept(loinc('86188-0', 'History of Occupation Industry')), valueCodeableConcept: concept(job.industry) }];
    record.addDuring(visit, occupation);
  }
}

/** What the patient wants from care (adults): care experience and treatment preferences, and the functional status from the visit's note. */
export function recordPreferences(record: PatientRecord, visit: Visit, note: DocumentReference): void {
  const { random } = record;
  const preference = (profile: UsCoreProfile, category: Code, code: Code, text: string): void => {
    record.addDuring(visit, {
      resourceType: 'Observation',
      id: record.id('obs'),
      meta: meta(profile),
      status: 'final',
      category: [usCoreCategory(category.code, category.display)],
      code: concept(code),
      subject: record.patientRef,
      effectiveDateTime: time.dateTime(visit.start),
      performer: [record.patientRef],
      valueString: text,
    });
  };
  preference(
    'us-core-care-experience-preference',
    { system: system.usCoreCategory, code: 'care-experience-preference', display: 'Care experience preference' },
    loinc('95541-9', 'Care experience preference'),
    random.pick(['I would like my daughter present when decisions are discussed.', 'Please call me rather than send letters.', 'I prefer morning appointments.']),
  );
  preference(
    'us-core-treatment-intervention-preference',
    { system: system.usCoreCategory, code: 'treatment-intervention-preference', display: 'Treatment intervention preference' },
    loinc('75773-2', 'Goals, preferences, and priorities for medical treatment [Reported]'),
    random.pick(['I want all treatment that may prolong my life.', 'I would like comfort care if I become seriously ill.']),
  );
  record.addDuring(visit, {
    resourceType: 'Observation',
    id: record.id('obs'),
    meta: meta('us-core-simple-observation'),
    status: 'final',
    category: [usCoreCategory('functional-status', 'Functional Status')],
    code: concept(loinc('75276-6', 'Functional status [Interpretation]')),
    subject: record.patientRef,
    encounter: visit.encounter,
    effectiveDateTime: time.dateTime(visit.start),
    performer: [reference(visit.clinician.practitioner, visit.clinician.name)],
    valueCodeableConcept: concept(random.pick(functionalStatuses)),
    derivedFrom: [reference(note)],
  });
}

/** A PHQ-2 depression screening: the questionnaire response and the observations derived from it. */
export function recordDepressionScreening(record: PatientRecord, visit: Visit): void {
  const { random } = record;
  const answers = phq2.items.map(() => (random.chance(0.75) ? phq2.answers[0] : random.pick(phq2.answers)));
  const total = answers.reduce((sum, answer) => sum + answer.score, 0);
  const authored = time.dateTime(visit.start + 3 * 60_000);
  const response: QuestionnaireResponse = record.addDuring(visit, {
    resourceType: 'QuestionnaireResponse',
    id: record.id('qr'),
    meta: meta('us-core-questionnaireresponse'),
    questionnaire: phq2.questionnaire,
    _questionnaire: { extension: [{ url: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-extension-questionnaire-uri', valueUri: phq2.questionnaire }] },
    status: 'completed',
    subject: record.patientRef,
    encounter: visit.encounter,
    authored,
    author: record.patientRef,
    item: [
      ...phq2.items.map((item, index) => ({ linkId: `/${item.code}`, text: item.display, answer: [{ valueCoding: coding(answers[index]!.code) }] })),
      { linkId: `/${phq2.total.code}`, text: phq2.total.display, answer: [{ valueInteger: total }] },
    ],
  });
  const screening = (code: Code): Observation => ({
    resourceType: 'Observation',
    id: record.id('obs'),
    meta: meta('us-core-observation-screening-assessment'),
    status: 'final',
    category: [observationCategory.survey],
    code: concept(code),
    subject: record.patientRef,
    encounter: visit.encounter,
    effectiveDateTime: authored,
    performer: [record.patientRef],
    derivedFrom: [reference(response)],
  });
  const declined = random.chance(0.1);
  const items = phq2.items.map((item, index) => {
    const observation = screening(item);
    if (declined && index === 1) {
      observation.dataAbsentReason = concept({ system: dataAbsentReasonSystem, code: 'asked-declined', display: 'Asked But Declined' });
    } else {
      observation.valueCodeableConcept = concept(answers[index]!.code);
    }
    return record.addDuring(visit, observation);
  });
  items.push(record.addDuring(visit, { ...screening(phq2.total), valueInteger: total }));
  record.addDuring(visit, { ...screening(phq2.panel), hasMember: items.map((item) => reference(item)) });
}
