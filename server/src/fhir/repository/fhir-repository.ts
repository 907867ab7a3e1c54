import { randomUUID } from 'node:crypto';
import type { Transaction } from 'sequelize';
import { FhirError } from '../../http/errors.js';
import { authorize } from '../access/guard.js';
import type { AccessPolicy, Restriction, ScopeInteraction } from '../access/policy.js';
import { restrictionSql } from '../access/restriction-sql.js';
import type { FhirRegistry } from '../definitions/registry.js';
import { extractIndex } from '../indexing/extract.js';
import { buildProvenance, type ProvenanceTarget, type WriteActivity } from '../provenance/provenance.js';
import { SearchEngine, type RestrictionLookup } from '../search/execute.js';
import { SystemSearch } from '../search/system-search.js';
import type { FhirJson, FhirStore, StoredResource } from '../storage/fhir-store.js';
import { rawSql, sql } from '../storage/sql.js';
import { validateFhirResource, type ValidationIssuesSink } from '../validation/validate.js';
import { preparedFor } from './prepared.js';

export interface WriteOptions {
  transaction?: Transaction;
  /** Weak ETag version the client expects (If-Match); a different current version answers 412. */
  ifMatch?: number;
  /** Provenance per write (default), or collected by the caller (transaction Bundles). */
  provenance?: ProvenanceTarget[];
  /** For create: an id assigned beforehand (a transaction resolving urn:uuid references). */
  id?: string;
  /** Store resources with structural problems and report them here instead of refusing (import only). */
  onInvalid?: ValidationIssuesSink;
}

/** Turns the current content of a resource into its patched content (JSON Patch or FHIRPath Patch) without changing its argument. */
export type ResourcePatch = (current: FhirJson) => unknown;

export interface WriteResult {
  stored: StoredResource;
  created: boolean;
}

const idPattern = /^[A-Za-z0-9\-.]{1,64}$/;

export function isValidId(id: string): boolean {
  return idPattern.test(id);
}

/**
 * The FHIR service: reads, writes and history of stored resources. Every write validates,
 * versions, indexes and records Provenance in one transaction, so a failed write changes nothing;
 * every read and write is confined by the caller's AccessPolicy here, not in the controllers.
 */
export class FhirRepository {
  readonly search: SearchEngine;
  readonly systemSearch: SystemSearch;

  constructor(
    readonly store: FhirStore,
    readonly registry: FhirRegistry,
  ) {
    this.search = new SearchEngine(store, registry);
    this.systemSearch = new SystemSearch(store, registry);
  }

  restriction(policy: AccessPolicy, resourceType: string, interaction: ScopeInteraction): Restriction {
    return authorize(policy, resourceType, interaction);
  }

  lookupFor(policy: AccessPolicy): RestrictionLookup {
    return (resourceType) => policy.restrictionFor(resourceType, 's') ?? policy.restrictionFor(resourceType, 'r');
  }

  /** Whether the current version is visible under a restriction. */
  private async visible(resourceType: string, id: string, restriction: Restriction, transaction?: Transaction): Promise<boolean> {
    if (restriction.patientId === undefined && !restriction.filters?.length) return true;
    const rows = await this.store.select(
      sql`SELECT r.id FROM fhir_resources r WHERE r.resource_type = ${resourceType} AND r.id = ${id} AND ${restrictionSql(this.registry, restriction, 'r', resourceType)}`,
      transaction,
    );
    return rows.length > 0;
  }

  async read(policy: AccessPolicy, resourceType: string, id: string, transaction?: Transaction): Promise<StoredResource> {
    const restriction = this.restriction(policy, resourceType, 'r');
    const current = await this.store.current(resourceType, id, transaction);
    if (!current || !(await this.visible(resourceType, id, restriction, transaction))) throw notFound(resourceType, id);
    if (current.deleted) throw gone(current);
    return current;
  }

  async vread(policy: AccessPolicy, resourceType: string, id: string, versionId: number, transaction?: Transaction): Promise<StoredResource> {
    const restriction = this.restriction(policy, resourceType, 'r');
    const version = await this.store.version(resourceType, id, versionId, transaction);
    if (!version || !(await this.visible(resourceType, id, restriction, transaction)) || !this.wasInCompartment(version, restriction)) {
      throw new FhirError(404, `${resourceType}/${id}/_history/${versionId} is not known`, 'not-found');
    }
    if (version.deleted) throw gone(version);
    return version;
  }

  async create(policy: AccessPolicy, body: unknown, expectedType?: string, options: WriteOptions = {}): Promise<WriteResult> {
    const resource = validateFhirResource(this.registry, body, expectedType, options.onInvalid);
    return this.inTransaction(options, (transaction) => this.write(policy, { ...resource, id: options.id ?? randomUUID() }, undefined, 'CREATE', transaction, options));
  }

  /** PUT: updates, or creates the resource under the client's id when it does not exist. */
  async update(policy: AccessPolicy, resourceType: string, id: string, body: unknown, options: WriteOptions = {}): Promise<WriteResult> {
    if (!isValidId(id)) throw new FhirError(400, `"${id}" is not a valid resource id`, 'invalid');
    const resource = validateFhirResource(this.registry, body, resourceType, options.onInvalid);
    if (resource.id !== undefined && resource.id !== id) throw new FhirError(400, `the body's id "${String(resource.id)}" differs from the URL's "${id}"`, 'invalid');
    return this.inTransaction(options, async (transaction) => {
      const current = await this.store.current(resourceType, id, transaction);
      if (options.ifMatch !== undefined && current?.versionId !== options.ifMatch) {
        throw new FhirError(412, `${resourceType}/${id} is at version ${current?.versionId ?? 'none'}, not ${options.ifMatch}`, 'conflict');
      }
      const exists = current && !current.deleted;
      if (exists && !(await this.visible(resourceType, id, this.restriction(policy, resourceType, 'u'), transaction))) throw notFound(resourceType, id);
      if (current?.deleted && !this.mayRecreate(current, this.restriction(policy, resourceType, 'c'))) throw notFound(resourceType, id);
      return this.write(policy, { ...resource, id }, current, exists ? 'UPDATE' : 'CREATE', transaction, options);
    });
  }

  /**
   * PATCH (JSON Patch or FHIRPath Patch): applied to the current version, then written exactly like
   * an update (validation, a new version, Provenance). The patch may not change the type or the id.
   */
  async patch(policy: AccessPolicy, resourceType: string, id: string, applyPatch: ResourcePatch, options: WriteOptions = {}): Promise<WriteResult> {
    return this.inTransaction(options, async (transaction) => {
      const current = await this.store.current(resourceType, id, transaction);
      if (!current || !(await this.visible(resourceType, id, this.restriction(policy, resourceType, 'u'), transaction))) throw notFound(resourceType, id);
      if (current.deleted) throw gone(current);
      if (options.ifMatch !== undefined && current.versionId !== options.ifMatch) {
        throw new FhirError(412, `${resourceType}/${id} is at version ${current.versionId}, not ${options.ifMatch}`, 'conflict');
      }
      const patched = applyPatch(current.resource) as Partial<FhirJson> | null;
      if (patched?.resourceType !== resourceType || patched.id !== id) {
        throw new FhirError(422, 'a patch may not change the resource type or the id', 'invalid');
      }
      return this.update(policy, resourceType, id, patched, { ...options, transaction, ifMatch: current.versionId });
    });
  }

  async delete(policy: AccessPolicy, resourceType: string, id: string, options: WriteOptions = {}): Promise<StoredResource | undefined> {
    const restriction = this.restriction(policy, resourceType, 'd');
    return this.inTransaction(options, async (transaction) => {
      const current = await this.store.current(resourceType, id, transaction);
      if (!current || !(await this.visible(resourceType, id, restriction, transaction))) throw notFound(resourceType, id);
      if (options.ifMatch !== undefined && current.versionId !== options.ifMatch) throw new FhirError(412, `${resourceType}/${id} is at version ${current.versionId}`, 'conflict');
      if (current.deleted) return undefined;
      const versionId = current.versionId + 1;
      const lastUpdated = new Date().toISOString();
      const resource = { ...current.resource, meta: { ...(current.resource.meta as object), versionId: String(versionId), lastUpdated } };
      const deleted: StoredResource = { resourceType, id, versionId, lastUpdated, deleted: true, resource };
      await this.store.writeVersion(deleted, false, transaction);
      await this.store.replaceIndex(resourceType, id, undefined, true, transaction);
      const patients = extractIndex(this.registry, current.resource).patients;
      await this.recordProvenance(policy, resourceType, [{ reference: versionReference(deleted), activity: 'DELETE', patients }], options, transaction);
      return deleted;
    });
  }

  /**
   * Re-creating a deleted resource continues its history, which the new version's compartment then
   * opens up: a patient-confined caller may do it only when the deleted version was its patient's.
   */
  private mayRecreate(deleted: StoredResource, restriction: Restriction): boolean {
    if (restriction.patientId === undefined) return true;
    return extractIndex(this.registry, deleted.resource).patients.includes(restriction.patientId);
  }

  private async inTransaction<T>(options: WriteOptions, work: (transaction: Transaction) => Promise<T>): Promise<T> {
    return options.transaction ? work(options.transaction) : this.store.transaction(work);
  }

  private async write(
    policy: AccessPolicy,
    resource: FhirJson & { id: string },
    current: StoredResource | undefined,
    activity: WriteActivity,
    transaction: Transaction,
    options: WriteOptions,
  ): Promise<WriteResult> {
    const { resourceType, id } = resource;
    const restriction = this.restriction(policy, resourceType, activity === 'CREATE' ? 'c' : 'u');
    const versionId = (current?.versionId ?? 0) + 1;
    const lastUpdated = new Date().toISOString();
    const meta = { ...(resource.meta as Record<string, unknown> | undefined), versionId: String(versionId), lastUpdated };
    const stored: StoredResource = { resourceType, id, versionId, lastUpdated, deleted: false, resource: { ...resource, meta } };
    await this.store.writeVersion(stored, current === undefined, transaction);
    // meta (versionId, lastUpdated) is searched on the resource's columns, so an index worked out ahead still holds
    const index = preparedFor(resourceType, id)?.index ?? extractIndex(this.registry, stored.resource);
    await this.store.replaceIndex(resourceType, id, index, current !== undefined, transaction);
    // the written resource must be inside what the caller may see (patient compartment, granular filters)
    if (!(await this.visible(resourceType, id, restriction, transaction))) {
      throw new FhirError(403, `the ${resourceType} would be outside the data this access grants`, 'forbidden');
    }
    await this.recordProvenance(policy, resourceType, [{ reference: versionReference(stored), activity, patients: index.patients }], options, transaction);
    return { stored, created: activity === 'CREATE' };
  }

  private async recordProvenance(policy: AccessPolicy, resourceType: string, targets: ProvenanceTarget[], options: WriteOptions, transaction: Transaction): Promise<void> {
    if (resourceType === 'Provenance') return;
    if (options.provenance) {
      options.provenance.push(...targets);
      return;
    }
    await this.storeProvenance(policy, targets, transaction);
  }

  /**
   * Stores the Provenance of the given targets (the server writes it; the caller needs no
   * Provenance scope): one per set of patient compartments, so a patient who may read a
   * Provenance never learns what was written to another patient's record.
   */
  async storeProvenance(policy: AccessPolicy, targets: ProvenanceTarget[], transaction: Transaction): Promise<void> {
    const groups = new Map<string, ProvenanceTarget[]>();
    for (const target of targets) {
      const key = [...target.patients].sort().join(' ');
      groups.set(key, [...(groups.get(key) ?? []), target]);
    }
    for (const group of groups.values()) {
      const provenance = buildProvenance(group, policy.agent, new Date().toISOString());
      const lastUpdated = new Date().toISOString();
      const stored: StoredResource = {
        resourceType: 'Provenance',
        id: provenance.id as string,
        versionId: 1,
        lastUpdated,
        deleted: false,
        resource: { ...provenance, meta: { versionId: '1', lastUpdated } },
      };
      await this.store.writeVersion(stored, true, transaction);
      await this.store.replaceIndex('Provenance', stored.id, extractIndex(this.registry, stored.resource), false, transaction);
    }
  }

  /** Versions newest first: of one resource, of a type, or of everything; keyset-paged. */
  async history(
    policy: AccessPolicy,
    scope: { resourceType?: string; id?: string },
    page: { count: number; since?: string; before?: { lastUpdated: string; resourceType: string; id: string; versionId: number } },
  ): Promise<{ versions: StoredResource[]; more: boolean }> {
    const conditions = [rawSql('1 = 1')];
    if (scope.resourceType) {
      const restriction = this.restriction(policy, scope.resourceType, 'r');
      conditions.push(sql`v.resource_type = ${scope.resourceType}`);
      if (scope.id) {
        conditions.push(sql`v.id = ${scope.id}`);
        if (!(await this.store.current(scope.resourceType, scope.id)) || !(await this.visible(scope.resourceType, scope.id, restriction))) throw notFound(scope.resourceType, scope.id);
      }
      if (restriction.patientId !== undefined || restriction.filters?.length) {
        // the current version decides visibility (compartment membership is kept for current versions)
        conditions.push(sql`v.id IN (SELECT r.id FROM fhir_resources r WHERE r.resource_type = ${scope.resourceType} AND ${restrictionSql(this.registry, restriction, 'r', scope.resourceType)})`);
      }
    } else if (!this.isUnrestricted(policy)) {
      throw new FhirError(403, 'system-wide history needs unrestricted access', 'forbidden');
    }
    if (page.since) conditions.push(sql`v.last_updated >= ${page.since}`);
    if (page.before) {
      const b = page.before;
      conditions.push(
        sql`(v.last_updated < ${b.lastUpdated} OR (v.last_updated = ${b.lastUpdated} AND (v.resource_type > ${b.resourceType} OR (v.resource_type = ${b.resourceType} AND (v.id > ${b.id} OR (v.id = ${b.id} AND v.version_id < ${b.versionId}))))))`,
      );
    }
    const where = conditions.reduce((acc, c) => sql`${acc} AND ${c}`);
    const rows = await this.store.selectResources(
      sql`SELECT v.resource_type, v.id, v.version_id, v.last_updated, v.deleted, v.content FROM fhir_resource_versions v WHERE ${where} ORDER BY v.last_updated DESC, v.resource_type ASC, v.id ASC, v.version_id DESC LIMIT ${page.count + 1}`,
    );
    // a version written before the resource moved into the patient's compartment stays out of sight
    const restrictionOf = (type: string) => policy.restrictionFor(type, 'r') ?? {};
    const versions = rows.slice(0, page.count).filter((v) => this.wasInCompartment(v, restrictionOf(v.resourceType)));
    return { versions, more: rows.length > page.count };
  }

  /** Whether a version (not only the current one) was in the compartment a restriction confines to. */
  private wasInCompartment(version: StoredResource, restriction: Restriction): boolean {
    if (restriction.patientId === undefined || version.deleted) return true;
    return extractIndex(this.registry, version.resource).patients.includes(restriction.patientId);
  }

  private isUnrestricted(policy: AccessPolicy): boolean {
    return this.registry.resourceTypes.every((type) => {
      const r = policy.restrictionFor(type, 'r');
      return r !== undefined && r.patientId === undefined && !r.filters?.length;
    });
  }
}

export function versionReference(stored: StoredResource): string {
  return `${stored.resourceType}/${stored.id}/_history/${stored.versionId}`;
}

function notFound(resourceType: string, id: string): FhirError {
  return new FhirError(404, `${resourceType}/${id} is not known`, 'not-found');
}

function gone(stored: StoredResource): FhirError {
  return new FhirError(410, `${stored.resourceType}/${stored.id} was deleted`, 'deleted', { ETag: `W/"${stored.versionId}"` });
}
