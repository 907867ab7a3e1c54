import { randomUUID } from 'node:crypto';
import type { Transaction } from 'sequelize';
import { FhirError, operationOutcome, type OutcomeIssue } from '../../http/errors.js';
import type { AccessPolicy } from '../access/policy.js';
import { conditionalMatch, conditionalUpdateId, matchedId, nothingDeleted } from '../controllers/conditional.js';
import { searchset } from '../controllers/search.js';
import { ifMatchVersion, type ReturnPreference } from '../http/headers.js';
import type { FhirService } from '../http/service.js';
import { referenceTarget } from '../indexing/reference.js';
import type { ProvenanceTarget } from '../provenance/provenance.js';
import type { FhirJson, StoredResource } from '../storage/fhir-store.js';
import { parseEntryRequest, type EntryRequest } from './entry-request.js';
import { patchOfEntry } from './patch-body.js';
import { isAbsoluteReference, isConditionalReference, rewriteReferences } from './references.js';

interface Entry {
  index: number;
  fullUrl?: string;
  resource?: FhirJson;
  request: EntryRequest;
  /** `Type/id` the entry writes, known before any write (urn:uuid resolution). */
  target?: string;
  existing?: StoredResource;
}

type ResponseEntry = Record<string, unknown>;

/** Processing order for transactions (FHIR R4 §3.1.0.11.2); responses stay in request order. */
const order = { DELETE: 0, POST: 1, PUT: 2, PATCH: 2, GET: 3 } as const;

const statusText: Record<number, string> = { 200: '200 OK', 201: '201 Created', 204: '204 No Content' };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseEntries(service: FhirService, bundle: Record<string, unknown>): Entry[] {
  const entries = Array.isArray(bundle.entry) ? bundle.entry : [];
  return entries.map((raw, index) => {
    if (!isObject(raw)) throw new FhirError(400, [{ severity: 'error', code: 'structure', diagnostics: 'entry must be an object', expression: [`Bundle.entry[${index}]`] }]);
    const request = parseEntryRequest(service.registry, service.base(), raw.request, index);
    const resource = isObject(raw.resource) ? (structuredClone(raw.resource) as FhirJson) : undefined;
    if ((request.method === 'POST' || request.method === 'PUT' || request.method === 'PATCH') && !resource) {
      throw new FhirError(400, [{ severity: 'error', code: 'required', diagnostics: `${request.method} needs a resource`, expression: [`Bundle.entry[${index}].resource`] }]);
    }
    return { index, request, ...(typeof raw.fullUrl === 'string' ? { fullUrl: raw.fullUrl } : {}), ...(resource ? { resource } : {}) };
  });
}

function prefixIssues(error: FhirError, index: number): FhirError {
  const issues: OutcomeIssue[] = error.issues.map((issue) => ({ ...issue, diagnostics: `entry ${index}: ${issue.diagnostics ?? issue.code}` }));
  return new FhirError(error.status, issues, 'processing', error.headers);
}

/** Runs batch and transaction Bundles (DESIGN §10). */
export class BundleProcessor {
  constructor(
    private readonly service: FhirService,
    private readonly policy: AccessPolicy,
    private readonly preference: ReturnPreference,
    /** Import only: keep structurally invalid resources and report them (validation/validate.ts). */
    private readonly onInvalid?: (entry: string, issues: OutcomeIssue[]) => void,
  ) {}

  async process(body: unknown): Promise<FhirJson> {
    if (!isObject(body) || body.resourceType !== 'Bundle') throw new FhirError(422, 'POST to the base needs a Bundle', 'invalid');
    if (body.type === 'transaction') return this.transaction(body);
    if (body.type === 'batch') return this.batch(body);
    throw new FhirError(422, `Bundle type "${String(body.type)}" cannot be processed; use batch or transaction`, 'invalid');
  }

  /** All or nothing: one database transaction; the first failing entry rolls everything back. */
  private async transaction(bundle: Record<string, unknown>): Promise<FhirJson> {
    const entries = parseEntries(this.service, bundle);
    const responses = await this.service.repository.store.transaction(async (transaction) => {
      const ids = new Map<string, string>();
      for (const entry of entries) {
        try {
          await this.assignTarget(entry, transaction);
        } catch (error) {
          throw error instanceof FhirError ? prefixIssues(error, entry.index) : error;
        }
        if (entry.fullUrl && entry.target) ids.set(entry.fullUrl, entry.target);
      }
      // the current versions of everything the Bundle updates or deletes, in a few queries instead of one per entry
      const known = entries.filter((e) => (e.request.method === 'PUT' || e.request.method === 'PATCH' || e.request.method === 'DELETE') && e.request.id);
      await this.service.repository.store.prefetchCurrent(known.map((e) => ({ resourceType: e.request.resourceType, id: e.request.id! })), transaction);
      const provenance: ProvenanceTarget[] = [];
      const out = new Array<ResponseEntry>(entries.length);
      const sorted = [...entries].sort((a, b) => order[a.request.method] - order[b.request.method] || a.index - b.index);
      for (const entry of sorted) {
        try {
          if (entry.resource) await this.resolveReferences(entry.resource, ids, transaction);
          out[entry.index] = await this.run(entry, transaction, provenance);
        } catch (error) {
          throw error instanceof FhirError ? prefixIssues(error, entry.index) : error;
        }
      }
      await this.service.repository.storeProvenance(this.policy, provenance, transaction);
      await this.saveAliases(entries, transaction);
      return out;
    });
    return { resourceType: 'Bundle', type: 'transaction-response', entry: responses };
  }

  /** Each entry on its own; a failing entry answers its error and the others still apply. */
  private async batch(bundle: Record<string, unknown>): Promise<FhirJson> {
    const raw = Array.isArray(bundle.entry) ? bundle.entry : [];
    const responses: ResponseEntry[] = [];
    for (let index = 0; index < raw.length; index++) {
      try {
        const [entry] = parseEntries(this.service, { entry: [raw[index]] });
        const response = await this.service.repository.store.transaction(async (transaction) => {
          const e = { ...entry!, index };
          await this.assignTarget(e, transaction);
          if (e.resource) await this.resolveReferences(e.resource, new Map(), transaction);
          const result = await this.run(e, transaction);
          await this.saveAliases([e], transaction);
          return result;
        });
        responses.push(response);
      } catch (error) {
        if (!(error instanceof FhirError)) throw error;
        responses.push({ response: { status: String(error.status), outcome: operationOutcome(error.issues) } });
      }
    }
    return { resourceType: 'Bundle', type: 'batch-response', entry: responses };
  }

  /** Decides which resource a POST or PUT entry writes before anything is written. */
  private async assignTarget(entry: Entry, transaction: Transaction): Promise<void> {
    const { request } = entry;
    if (request.method === 'POST') {
      if (request.ifNoneExist) {
        const existing = await conditionalMatch(this.service, this.policy, request.resourceType, request.ifNoneExist, transaction);
        if (existing) {
          entry.existing = existing;
          entry.target = `${existing.resourceType}/${existing.id}`;
          return;
        }
      }
      entry.target = `${request.resourceType}/${randomUUID()}`;
    } else if (request.method === 'PUT' && request.id) {
      entry.target = `${request.resourceType}/${request.id}`;
    } else if (request.method === 'PUT' && request.query) {
      // a conditional update writes the match, or creates: decided now, so references to the entry resolve
      const id = await conditionalUpdateId(this.service, this.policy, request.resourceType, request.query, entry.resource, transaction);
      entry.target = `${request.resourceType}/${id}`;
    }
  }

  /** urn:uuid and fullUrl references to this Bundle, to earlier Bundles (aliases), and conditional references. */
  private async resolveReferences(resource: FhirJson, ids: Map<string, string>, transaction: Transaction): Promise<void> {
    const store = this.service.repository.store;
    await rewriteReferences(resource, async (reference) => {
      const inBundle = ids.get(reference);
      if (inBundle) return inBundle;
      if (isConditionalReference(reference)) {
        const [type = '', condition = ''] = reference.split('?', 2);
        const resourceType = this.service.registry.canonicalType(type);
        if (!resourceType) throw new FhirError(412, `conditional reference ${reference} names an unknown type`, 'invalid');
        const match = await conditionalMatch(this.service, this.policy, resourceType, condition, transaction);
        if (!match) throw new FhirError(412, `no ${resourceType} matches the conditional reference ${reference}`, 'not-found');
        return `${match.resourceType}/${match.id}`;
      }
      if (isAbsoluteReference(reference)) {
        const alias = await store.alias(reference, transaction);
        if (alias) return `${alias.resourceType}/${alias.id}`;
        if (reference.startsWith(`${this.service.base()}/`)) {
          const local = referenceTarget(reference, (name) => this.service.registry.canonicalType(name) === name);
          if (local) return `${local.type}/${local.id}`;
        }
      }
      return undefined;
    });
  }

  private async saveAliases(entries: Entry[], transaction: Transaction): Promise<void> {
    for (const entry of entries) {
      if (!entry.fullUrl || !entry.target || entry.request.method === 'DELETE') continue;
      if (!entry.fullUrl.startsWith('urn:') && entry.fullUrl.startsWith(this.service.base())) continue;
      const [type = '', id = ''] = entry.target.split('/');
      await this.service.repository.store.saveAlias(entry.fullUrl.slice(0, 512), type, id, transaction);
    }
  }

  private async run(entry: Entry, transaction: Transaction, provenance?: ProvenanceTarget[]): Promise<ResponseEntry> {
    const { request } = entry;
    const repository = this.service.repository;
    const base = this.service.base();
    const ifMatch = ifMatchVersion(request.ifMatch);
    const written = (stored: StoredResource, status: number): ResponseEntry => ({
      fullUrl: `${base}/${stored.resourceType}/${stored.id}`,
      ...(this.preference === 'representation' ? { resource: stored.resource } : {}),
      response: {
        status: statusText[status] ?? String(status),
        location: `${stored.resourceType}/${stored.id}/_history/${stored.versionId}`,
        etag: `W/"${stored.versionId}"`,
        lastModified: stored.lastUpdated,
      },
    });
    const report = this.onInvalid;
    const onInvalid = report && ((issues: OutcomeIssue[]) => report(entry.fullUrl ?? `${request.resourceType}/${request.id ?? '(new)'}`, issues));
    const options = { transaction, ...(provenance ? { provenance } : {}), ...(ifMatch !== undefined ? { ifMatch } : {}), ...(onInvalid ? { onInvalid } : {}) };
    switch (request.method) {
      case 'POST': {
        if (entry.existing) return written(entry.existing, 200);
        const id = entry.target?.split('/')[1];
        const { stored } = await repository.create(this.policy, entry.resource, request.resourceType, { ...options, ...(id ? { id } : {}) });
        return written(stored, 201);
      }
      case 'PUT': {
        const id = request.id ?? entry.target?.split('/')[1];
        if (!id) throw new FhirError(400, 'PUT needs Type/id or Type?criteria', 'invalid');
        const { stored, created } = await repository.update(this.policy, request.resourceType, id, entry.resource, options);
        return written(stored, created ? 201 : 200);
      }
      case 'PATCH': {
        const applyPatch = patchOfEntry(entry.resource, entry.index);
        const id = request.id ?? (request.query ? await matchedId(this.service, this.policy, request.resourceType, request.query, transaction) : undefined);
        if (!id) throw new FhirError(400, 'PATCH needs Type/id or Type?criteria', 'invalid');
        const { stored } = await repository.patch(this.policy, request.resourceType, id, applyPatch, options);
        return written(stored, 200);
      }
      case 'DELETE': {
        let id = request.id;
        if (!id && request.query) {
          // conditional delete, single mode: several matches answer 412, none deletes nothing
          const match = await conditionalMatch(this.service, this.policy, request.resourceType, request.query, transaction);
          if (!match) return { response: { status: statusText[200], outcome: nothingDeleted(request.resourceType, request.query) } };
          id = match.id;
        }
        if (!id) throw new FhirError(400, 'DELETE needs Type/id or Type?criteria', 'invalid');
        await repository.delete(this.policy, request.resourceType, id, options);
        return { response: { status: statusText[204] } };
      }
      case 'GET': {
        if (request.id && request.versionId) {
          const stored = await repository.vread(this.policy, request.resourceType, request.id, request.versionId, transaction);
          return { fullUrl: `${base}/${request.resourceType}/${request.id}`, resource: stored.resource, response: { status: statusText[200], etag: `W/"${stored.versionId}"` } };
        }
        if (request.id) {
          const stored = await repository.read(this.policy, request.resourceType, request.id, transaction);
          return { fullUrl: `${base}/${request.resourceType}/${request.id}`, resource: stored.resource, response: { status: statusText[200], etag: `W/"${stored.versionId}"` } };
        }
        const pairs = [...new URLSearchParams(request.query ?? '')];
        const bundle = await searchset(this.service, this.policy, request.resourceType, pairs, false, transaction);
        return { resource: bundle, response: { status: statusText[200] } };
      }
    }
  }
}
