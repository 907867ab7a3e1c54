/** Small builders for the FHIR datatypes the generator writes again and again. */
import type { CodeableConcept, Coding, Quantity, Reference, Resource } from '@medplum/fhirtypes';
import { system, type Code } from './codes.js';

const usCoreBase = 'http://hl7.org/fhir/us/core/StructureDefinition/';

/** The US Core 7.0.0 profiles the generator claims, by their canonical URL's last segment. */
export type UsCoreProfile =
  | 'us-core-patient' | 'us-core-organization' | 'us-core-practitioner' | 'us-core-practitionerrole' | 'us-core-location'
  | 'us-core-medication' | 'us-core-encounter' | 'us-core-condition-problems-health-concerns' | 'us-core-condition-encounter-diagnosis'
  | 'us-core-allergyintolerance' | 'us-core-immunization' | 'us-core-medicationrequest' | 'us-core-medicationdispense'
  | 'us-core-procedure' | 'us-core-diagnosticreport-lab' | 'us-core-diagnosticreport-note' | 'us-core-documentreference'
  | 'us-core-careplan' | 'us-core-careteam' | 'us-core-goal' | 'us-core-coverage' | 'us-core-implantable-device'
  | 'us-core-servicerequest' | 'us-core-specimen' | 'us-core-questionnaireresponse' | 'us-core-relatedperson' | 'us-core-provenance'
  | 'us-core-blood-pressure' | 'us-core-average-blood-pressure' | 'us-core-heart-rate' | 'us-core-respiratory-rate'
  | 'us-core-body-temperature' | 'us-core-body-weight' | 'us-core-body-height' | 'us-core-bmi' | 'us-core-pulse-oximetry'
  | 'us-core-head-circumference' | 'head-occipital-frontal-circumference-percentile' | 'pediatric-weight-for-height'
  | 'pediatric-bmi-for-age' | 'us-core-observation-lab' | 'us-core-observation-clinical-result' | 'us-core-smokingstatus'
  | 'us-core-observation-sexual-orientation' | 'us-core-observation-pregnancystatus' | 'us-core-observation-pregnancyintent'
  | 'us-core-observation-occupation' | 'us-core-observation-screening-assessment' | 'us-core-simple-observation'
  | 'us-core-care-experience-preference' | 'us-core-treatment-intervention-preference';

export function profileUrl(profile: UsCoreProfile): string {
  return `${usCoreBase}${profile}`;
}

/** `meta` naming one US Core profile; `lastUpdated` where the profile marks it must-support. */
export function meta(profile: UsCoreProfile, lastUpdated?: string): Resource['meta'] {
  return lastUpdated ? { profile: [profileUrl(profile)], lastUpdated } : { profile: [profileUrl(profile)] };
}

export function coding(code: Code): Coding {
  return { system: code.system, code: code.code, display: code.display };
}

export function concept(code: Code, text?: string): CodeableConcept {
  return { coding: [coding(code)], text: text ?? code.display };
}

export function reference<T extends Resource>(resource: T & { id?: string }, display?: string): Reference<T> {
  const ref: Reference<T> = { reference: `${resource.resourceType}/${resource.id}` };
  if (display) ref.display = display;
  return ref;
}

export function ucum(value: number, code: string, unit = code): Quantity {
  return { value, unit, system: system.ucum, code };
}

export const observationCategory = {
  vitalSigns: { coding: [{ system: system.observationCategory, code: 'vital-signs', display: 'Vital Signs' }], text: 'Vital Signs' },
  laboratory: { coding: [{ system: system.observationCategory, code: 'laboratory', display: 'Laboratory' }], text: 'Laboratory' },
  socialHistory: { coding: [{ system: system.observationCategory, code: 'social-history', display: 'Social History' }], text: 'Social History' },
  survey: { coding: [{ system: system.observationCategory, code: 'survey', display: 'Survey' }], text: 'Survey' },
  imaging: { coding: [{ system: system.observationCategory, code: 'imaging', display: 'Imaging' }], text: 'Imaging' },
} satisfies Record<string, CodeableConcept>;

export function usCoreCategory(code: string, display: string): CodeableConcept {
  return { coding: [{ system: system.usCoreCategory, code, display }], text: display };
}

const day = 86_400_000;

/** Time arithmetic on epoch milliseconds; every date written is derived from the fixed reference date. */
export const time = {
  day,
  year: 365.25 * day,
  date: (ms: number): string => new Date(ms).toISOString().slice(0, 10),
  dateTime: (ms: number): string => `${new Date(ms).toISOString().slice(0, 19)}Z`,
  instant: (ms: number): string => new Date(ms).toISOString(),
};

/** Base64 of UTF-8 text, for Attachment.data. */
export function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}
