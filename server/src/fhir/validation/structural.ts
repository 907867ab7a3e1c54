import { OperationOutcomeError, validateResource } from '@medplum/core';
import type { Resource } from '@medplum/fhirtypes';
import type { IssueSeverity, OutcomeIssue } from '../../http/errors.js';
import { installedProfileIssues } from '../ig/profiles.js';
import { requiredBindingIssues } from './required-bindings.js';

/**
 * A resource's problems against the R4 StructureDefinitions (@medplum/core: types, cardinality,
 * invariants; required bindings, which @medplum/core leaves out) and the installed profiles its
 * meta.profile names. Pure, so import workers
 * (import/prepare-pool.ts) answer exactly what the request thread would.
 */
export function structuralIssues(body: Record<string, unknown>): OutcomeIssue[] {
  const issues: OutcomeIssue[] = [];
  try {
    validateResource(body as unknown as Resource);
  } catch (error) {
    if (error instanceof OperationOutcomeError) {
      for (const issue of error.outcome.issue ?? []) {
        issues.push({
          severity: issue.severity as IssueSeverity,
          code: issue.code,
          diagnostics: issue.details?.text ?? issue.diagnostics ?? 'invalid',
          ...(issue.expression ? { expression: issue.expression } : {}),
        });
      }
    } else {
      // the validator trips over some malformed shapes itself; that is still the body's fault
      issues.push({ severity: 'error', code: 'invalid', diagnostics: `the resource could not be validated: ${(error as Error).message}` });
    }
  }
  issues.push(...requiredBindingIssues(body), ...installedProfileIssues(body));
  return issues;
}

export function hasErrors(issues: readonly OutcomeIssue[]): boolean {
  return issues.some((issue) => issue.severity === 'error' || issue.severity === 'fatal');
}
