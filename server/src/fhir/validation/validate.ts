import { FhirError, type OutcomeIssue } from '../../http/errors.js';
import type { FhirRegistry } from '../definitions/registry.js';
import { preparedFor } from '../repository/prepared.js';
import type { FhirJson } from '../storage/fhir-store.js';
import { hasErrors, structuralIssues } from './structural.js';

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export type ValidationIssuesSink = (issues: OutcomeIssue[]) => void;

/**
 * Structural validation (structural.ts: the R4 definitions and installed profiles named in
 * meta.profile): a body that is not a resource of the expected type, or breaks the definitions,
 * answers 422 with the paths of the problems. Issues found ahead by an import worker
 * (repository/prepared.ts) stand in for validating again.
 *
 * `report` (given a sink) stores a resource despite structural problems and hands them to the
 * sink: for `inpracsys import` of files an administrator chose, where refusing real-world data
 * over one stray element helps nobody. The REST API always refuses.
 */
export function validateFhirResource(registry: FhirRegistry, body: unknown, expectedType?: string, report?: ValidationIssuesSink): FhirJson {
  if (!isObject(body)) throw new FhirError(400, 'the request body must be a JSON object', 'structure');
  const { resourceType } = body;
  if (typeof resourceType !== 'string' || registry.canonicalType(resourceType) !== resourceType) {
    throw new FhirError(422, `"${String(resourceType)}" is not a FHIR R4 resource type`, 'invalid');
  }
  if (expectedType && resourceType !== expectedType) {
    throw new FhirError(422, `the body is a ${resourceType}, the URL names ${expectedType}`, 'invalid');
  }
  const issues = preparedFor(resourceType, body.id)?.issues ?? structuralIssues(body);
  if (hasErrors(issues)) {
    if (!report) throw new FhirError(422, [...issues]);
    report([...issues]);
  }
  return body as FhirJson;
}
