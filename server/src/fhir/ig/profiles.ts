import { OperationOutcomeError, loadDataType, validateResource } from '@medplum/core';
import type { Resource, StructureDefinition } from '@medplum/fhirtypes';
import type { IssueSeverity, OutcomeIssue } from '../../http/errors.js';

/** Conformance resources installed at run time, by canonical URL (one set per process, like @medplum/core's schemas). */
const installed = new Map<string, Record<string, unknown>>();
/** Counts changes to the installed set, so what is derived from it (the search registry) knows to rebuild. */
let generation = 0;

export function installedGeneration(): number {
  return generation;
}

/** Installed SearchParameters (the search registry adds those whose code the base definitions lack). */
export function installedSearchParameters(): Record<string, unknown>[] {
  return [...installed.values()].filter((resource) => resource.resourceType === 'SearchParameter');
}

/** Makes installed resources known to the validator; StructureDefinitions must carry a snapshot. */
export function registerConformanceResources(resources: Iterable<Record<string, unknown>>): void {
  generation++;
  for (const resource of resources) {
    const url = resource.url;
    if (typeof url !== 'string') continue;
    installed.set(url, resource);
    if (resource.resourceType === 'StructureDefinition' && (resource as unknown as StructureDefinition).snapshot) {
      try {
        // lets slices that name an installed extension profile find its schema
        loadDataType(resource as unknown as StructureDefinition);
      } catch {
        // a profile the parser does not understand is still checked as far as it can be, below
      }
    }
  }
}

/** Forgets every installed resource (tests simulate a restart with this). */
export function clearInstalledConformanceResources(): void {
  generation++;
  installed.clear();
}

export function installedConformanceResource(url: string): Record<string, unknown> | undefined {
  return installed.get(url.split('|')[0]!);
}

/** Installed profiles (StructureDefinitions with a snapshot) by canonical URL. */
export function installedProfile(url: string): StructureDefinition | undefined {
  const resource = installedConformanceResource(url);
  return resource?.resourceType === 'StructureDefinition' && (resource as unknown as StructureDefinition).snapshot
    ? (resource as unknown as StructureDefinition)
    : undefined;
}

/** Every installed conformance resource (handed to validation workers). */
export function installedConformanceResources(): Record<string, unknown>[] {
  return [...installed.values()];
}

/**
 * The problems of a resource against each installed profile its meta.profile names; a profile
 * that is not installed is not a reason to refuse it, nor is one the validator cannot process.
 */
export function installedProfileIssues(body: Record<string, unknown>): OutcomeIssue[] {
  if (installed.size === 0) return [];
  const meta = body.meta as { profile?: unknown } | undefined;
  const profiles = Array.isArray(meta?.profile) ? meta.profile.filter((p): p is string => typeof p === 'string') : [];
  const issues: OutcomeIssue[] = [];
  for (const url of profiles) {
    const profile = installedProfile(url);
    if (!profile || profile.type !== body.resourceType) continue;
    try {
      validateResource(body as unknown as Resource, { profile });
    } catch (error) {
      if (!(error instanceof OperationOutcomeError)) {
        issues.push({ severity: 'warning', code: 'processing', diagnostics: `profile ${url} not checked: ${(error as Error).message}` });
        continue;
      }
      for (const issue of error.outcome.issue ?? []) {
        issues.push({
          severity: issue.severity as IssueSeverity,
          code: issue.code,
          diagnostics: `profile ${url}: ${issue.details?.text ?? issue.diagnostics ?? 'invalid'}`,
          ...(issue.expression ? { expression: issue.expression } : {}),
        });
      }
    }
  }
  return issues;
}
