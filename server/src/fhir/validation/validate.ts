import { OperationOutcomeError, validateResource } from '@medplum/core';
import type { Resource } from '@medplum/fhirtypes';
import { FhirError, type IssueSeverity, type OutcomeIssue } from '../../http/errors.js';
import type { FhirRegistry } from '../definitions/registry.js';
import { checkInstalledProfiles } from '../ig/profiles.js';
import type { FhirJson } from '../storage/fhir-store.js';

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Base R4 structural validation (@medplum/core, on the R4 StructureDefinitions): a body that is
 * not a resource of the expected type, or breaks the base definitions, answers 422 with the
 * paths of the problems. Profiles named in meta.profile are checked when installed (`ig install`).
 */
export type ValidationIssuesSink = (issues: OutcomeIssue[]) => void;

/**
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
  try {
    validateResource(body as unknown as Resource);
  } catch (error) {
    if (!(error instanceof OperationOutcomeError)) {
      // the validator trips over some malformed shapes itself; that is still the body's fault
      throw new FhirError(422, `the resource could not be validated: ${(error as Error).message}`, 'invalid');
    }
    const issues: OutcomeIssue[] = (error.outcome.issue ?? []).map((issue) => ({
      severity: issue.severity as IssueSeverity,
      code: issue.code,
      diagnostics: issue.details?.text ?? issue.diagnostics ?? 'invalid',
      ...(issue.expression ? { expression: issue.expression } : {}),
    }));
    if (!report) throw new FhirError(422, issues);
    report(issues);
  }
  checkInstalledProfiles(body, report);
  return body as FhirJson;
}
