import { SCOPE_RESOURCE_TYPES } from './resource-types.js';

/**
 * SMART scopes: the one parser and comparator used by registration, /authorize, the consent
 * page, token issue, the FHIR access guard and the admin GUI (smart-launcher-v2's ScopeSet).
 * Pure: no I/O, no framework types.
 */

export type ScopeContext = 'patient' | 'user' | 'system';
/** SMART v2 interactions: create, read, update, delete, search. */
export type Interaction = 'c' | 'r' | 'u' | 'd' | 's';

const INTERACTION_ORDER: readonly Interaction[] = ['c', 'r', 'u', 'd', 's'];

/** One name=value constraint of a granular v2 scope (`?category=…|laboratory`). */
export interface ScopeFilterParam {
  name: string;
  value: string;
}

/** The constraints of one granular scope; every param must match (AND). */
export interface ScopeFilter {
  scope: string;
  params: ScopeFilterParam[];
}

export type SpecialScopeName =
  | 'openid'
  | 'fhirUser'
  | 'profile'
  | 'offline_access'
  | 'online_access'
  | 'launch'
  | 'launch/patient'
  | 'launch/encounter';

const SPECIAL_SCOPES: ReadonlySet<string> = new Set<SpecialScopeName>([
  'openid',
  'fhirUser',
  'profile',
  'offline_access',
  'online_access',
  'launch',
  'launch/patient',
  'launch/encounter',
]);

export interface SpecialScope {
  kind: 'special';
  raw: string;
  name: SpecialScopeName;
}

export interface ResourceScope {
  kind: 'resource';
  raw: string;
  context: ScopeContext;
  resourceType: string;
  /** v1 `.read`/`.write`/`.*` or v2 `.cruds`; kept so that v1 is granted as v1. */
  version: 1 | 2;
  interactions: ReadonlySet<Interaction>;
  /** Granular v2 constraints; empty = the whole resource type. */
  params: ScopeFilterParam[];
}

/** Bulk Data operation scopes: `system/*.$export`, `system/Patient.$export`, `system/*.$bulkdata-status`. */
export interface OperationScope {
  kind: 'operation';
  raw: string;
  context: 'system';
  resourceType: '*' | 'Patient' | 'Group';
  operation: '$export' | '$bulkdata-status';
}

export type Scope = SpecialScope | ResourceScope | OperationScope;

export class ScopeParseError extends Error {
  constructor(
    readonly scope: string,
    readonly reason: string,
  ) {
    super(`invalid scope "${scope}": ${reason}`);
  }
}

const V1_INTERACTIONS: Record<string, Interaction[]> = {
  read: ['r', 's'],
  write: ['c', 'u', 'd'],
  '*': ['c', 'r', 'u', 'd', 's'],
};

function parseInteractions(text: string): { version: 1 | 2; interactions: Interaction[] } | string {
  const v1 = V1_INTERACTIONS[text];
  if (v1) return { version: 1, interactions: v1 };
  // v2: a non-empty subsequence of "cruds", in that order (SMART 2.2 §3.1.2).
  if (!/^c?r?u?d?s?$/.test(text) || text.length === 0) return `unknown permissions ".${text}"`;
  return { version: 2, interactions: [...text] as Interaction[] };
}

function parseQuery(query: string): ScopeFilterParam[] | string {
  if (query.length === 0) return 'empty query';
  const params: ScopeFilterParam[] = [];
  for (const [name, value] of new URLSearchParams(query)) {
    if (!/^[A-Za-z_][A-Za-z0-9_:.-]*$/.test(name) || value.length === 0) return `malformed query "${query}"`;
    params.push({ name, value });
  }
  return params.length > 0 ? params : `malformed query "${query}"`;
}

const OPERATION_SCOPE = /^system\/(\*|Patient|Group)\.(\$export|\$bulkdata-status)$/;

/** Parses one scope token; throws ScopeParseError for anything not understood or refused. */
export function parseScope(raw: string): Scope {
  if (SPECIAL_SCOPES.has(raw)) return { kind: 'special', raw, name: raw as SpecialScopeName };

  const operation = OPERATION_SCOPE.exec(raw);
  if (operation) {
    const [, type, op] = operation as unknown as [string, OperationScope['resourceType'], OperationScope['operation']];
    // $bulkdata-status is about jobs, not a resource type.
    if (op === '$bulkdata-status' && type !== '*') throw new ScopeParseError(raw, 'use system/*.$bulkdata-status');
    return { kind: 'operation', raw, context: 'system', resourceType: type, operation: op };
  }

  const match = /^(patient|user|system)\/([^.?]+)\.([^?]+)(?:\?(.*))?$/.exec(raw);
  if (!match) throw new ScopeParseError(raw, 'not a SMART scope');
  const [, context, resourceType, permissions, query] = match as unknown as [string, ScopeContext, string, string, string | undefined];
  if (resourceType === '*') throw new ScopeParseError(raw, 'wildcard resource types are not allowed');
  if (!SCOPE_RESOURCE_TYPES.has(resourceType)) throw new ScopeParseError(raw, `unknown resource type ${resourceType}`);
  const parsed = parseInteractions(permissions);
  if (typeof parsed === 'string') throw new ScopeParseError(raw, parsed);
  let params: ScopeFilterParam[] = [];
  if (query !== undefined) {
    if (parsed.version === 1) throw new ScopeParseError(raw, 'query constraints need v2 permissions');
    const result = parseQuery(query);
    if (typeof result === 'string') throw new ScopeParseError(raw, result);
    params = result;
  }
  return { kind: 'resource', raw, context, resourceType, version: parsed.version, interactions: new Set(parsed.interactions), params };
}

const sameParam = (a: ScopeFilterParam, b: ScopeFilterParam): boolean => a.name === b.name && a.value === b.value;

/** True when `requested` equals or narrows `registered` (DESIGN §10). */
export function scopeNarrows(registered: Scope, requested: Scope): boolean {
  if (registered.raw === requested.raw) return true;
  if (registered.kind === 'special' || requested.kind === 'special') return false;
  if (registered.kind === 'operation' || requested.kind === 'operation') {
    // system/Patient.$export narrows system/*.$export.
    return (
      registered.kind === 'operation' &&
      requested.kind === 'operation' &&
      registered.operation === requested.operation &&
      registered.resourceType === '*'
    );
  }
  if (registered.context !== requested.context || registered.resourceType !== requested.resourceType) return false;
  for (const interaction of requested.interactions) if (!registered.interactions.has(interaction)) return false;
  // Every constraint of the registered scope must still hold; the request may add more.
  return registered.params.every((param) => requested.params.some((other) => sameParam(param, other)));
}

/** Plain-words names for the resource types people meet most; the rest are split from CamelCase. */
const FRIENDLY_TYPES: Record<string, string> = {
  AllergyIntolerance: 'allergies',
  Condition: 'conditions and problems',
  DiagnosticReport: 'test reports',
  DocumentReference: 'documents',
  Encounter: 'visits',
  Immunization: 'immunizations',
  MedicationRequest: 'prescriptions',
  MedicationStatement: 'medications',
  Observation: 'observations (vital signs, lab results)',
  Patient: 'demographics',
  Procedure: 'procedures',
  Practitioner: 'practitioners',
  Binary: 'bulk export files',
  Document: 'bulk export files',
};

function friendlyType(type: string): string {
  return FRIENDLY_TYPES[type] ?? `${type.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()} records`;
}

const SPECIAL_LABELS: Record<SpecialScopeName, string> = {
  openid: 'Confirm who you are (sign in)',
  fhirUser: 'Know your identity in the health record',
  profile: 'See your name and profile',
  offline_access: 'Stay connected (offline access)',
  online_access: 'Stay connected while you are signed in',
  launch: 'Use the patient and visit open in the EHR',
  'launch/patient': 'Know which patient record is in use',
  'launch/encounter': 'Know which visit is in use',
};

const VERB: Record<Interaction, string> = { c: 'create', r: 'read', u: 'update', d: 'delete', s: 'search' };

function joinWords(words: string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words.at(-1)!}`;
}

/** A label in plain words for the consent page and the admin GUI. */
export function scopeLabel(scope: Scope): string {
  switch (scope.kind) {
    case 'special':
      return SPECIAL_LABELS[scope.name];
    case 'operation':
      if (scope.operation === '$bulkdata-status') return 'Check the progress of bulk data exports';
      return scope.resourceType === '*' ? 'Export data in bulk' : `Export ${scope.resourceType.toLowerCase()} data in bulk`;
    case 'resource': {
      const verbs = INTERACTION_ORDER.filter((i) => scope.interactions.has(i)).map((i) => VERB[i]);
      const verb = joinWords(verbs);
      const whose = scope.context === 'patient' ? 'your' : scope.context === 'user' ? 'the' : 'all';
      const only = scope.params.length ? ` (only ${scope.params.map((p) => p.value.split('|').at(-1)).join(', ')})` : '';
      const text = `${verb} ${whose} ${friendlyType(scope.resourceType)}${only}`;
      return text.charAt(0).toUpperCase() + text.slice(1);
    }
  }
}

/** A parsed, ordered, de-duplicated set of scopes. Immutable. */
export class ScopeSet {
  private constructor(readonly scopes: readonly Scope[]) {}

  /** Parses a space-separated scope string; throws ScopeParseError on the first bad scope. */
  static parse(text: string | undefined | null): ScopeSet {
    const result = ScopeSet.tryParse(text);
    if (result.invalid[0]) throw result.invalid[0];
    return result.set;
  }

  /** Parses what it can and lists what it cannot (registration reports every bad scope). */
  static tryParse(text: string | undefined | null): { set: ScopeSet; invalid: ScopeParseError[] } {
    const seen = new Set<string>();
    const scopes: Scope[] = [];
    const invalid: ScopeParseError[] = [];
    for (const token of (text ?? '').split(' ')) {
      if (token === '' || seen.has(token)) continue;
      seen.add(token);
      try {
        scopes.push(parseScope(token));
      } catch (error) {
        if (!(error instanceof ScopeParseError)) throw error;
        invalid.push(error);
      }
    }
    return { set: new ScopeSet(scopes), invalid };
  }

  static of(scopes: readonly Scope[]): ScopeSet {
    return new ScopeSet(scopes);
  }

  get size(): number {
    return this.scopes.length;
  }

  toString(): string {
    return this.scopes.map((scope) => scope.raw).join(' ');
  }

  toArray(): string[] {
    return this.scopes.map((scope) => scope.raw);
  }

  has(raw: string): boolean {
    return this.scopes.some((scope) => scope.raw === raw);
  }

  /** True when any resource or operation scope uses this context (`patient/…`, `user/…`, `system/…`). */
  hasContext(context: ScopeContext): boolean {
    return this.scopes.some((scope) => scope.kind !== 'special' && scope.context === context);
  }

  resourceScopes(): ResourceScope[] {
    return this.scopes.filter((scope): scope is ResourceScope => scope.kind === 'resource');
  }

  private matching(context: ScopeContext, resourceType: string, interaction: Interaction): ResourceScope[] {
    return this.resourceScopes().filter(
      (scope) => scope.context === context && scope.resourceType === resourceType && scope.interactions.has(interaction),
    );
  }

  /** Whether some scope permits this interaction on this resource type in this context. */
  allows(context: ScopeContext, resourceType: string, interaction: Interaction): boolean {
    return this.matching(context, resourceType, interaction).length > 0;
  }

  /** Whether a Bulk Data operation scope is held (`system/Patient.$export` is covered by `system/*.$export`). */
  allowsOperation(operation: OperationScope['operation'], resourceType: OperationScope['resourceType'] = '*'): boolean {
    return this.scopes.some(
      (scope) =>
        scope.kind === 'operation' && scope.operation === operation && (scope.resourceType === '*' || scope.resourceType === resourceType),
    );
  }

  /**
   * The granular constraints that apply: `[]` = unrestricted (some matching scope has no
   * query), otherwise any one filter must match (OR of scopes, AND within one).
   * `null` = not allowed at all — callers must refuse, never treat it as unrestricted.
   */
  filtersFor(context: ScopeContext, resourceType: string, interaction: Interaction): ScopeFilter[] | null {
    const matching = this.matching(context, resourceType, interaction);
    if (matching.length === 0) return null;
    if (matching.some((scope) => scope.params.length === 0)) return [];
    return matching.map((scope) => ({ scope: scope.raw, params: scope.params }));
  }

  /** Requested scopes that neither equal nor narrow any of these (registered) scopes. */
  notCovering(requested: ScopeSet): string[] {
    return requested.scopes.filter((want) => !this.scopes.some((have) => scopeNarrows(have, want))).map((scope) => scope.raw);
  }

  /** Keeps only the scopes the predicate accepts, e.g. the boxes ticked on the consent page. */
  filter(predicate: (scope: Scope) => boolean): ScopeSet {
    return new ScopeSet(this.scopes.filter(predicate));
  }

  labels(): { scope: string; label: string }[] {
    return this.scopes.map((scope) => ({ scope: scope.raw, label: scopeLabel(scope) }));
  }
}

/** DESIGN §10: a request is allowed when every requested scope equals or narrows a registered one. */
export function narrows(registered: ScopeSet, requested: ScopeSet): boolean {
  return registered.notCovering(requested).length === 0;
}
