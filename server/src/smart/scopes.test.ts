import { describe, expect, it } from 'vitest';
import { narrows, parseScope, ScopeParseError, ScopeSet, scopeLabel } from './scopes.js';

const LAB = 'category=http://terminology.hl7.org/CodeSystem/observation-category|laboratory';

describe('parseScope', () => {
  it.each([
    ['patient/Observation.read', { kind: 'resource', context: 'patient', resourceType: 'Observation', version: 1, interactions: ['r', 's'] }],
    ['patient/Observation.write', { kind: 'resource', version: 1, interactions: ['c', 'u', 'd'] }],
    ['user/Patient.*', { kind: 'resource', context: 'user', version: 1, interactions: ['c', 'r', 'u', 'd', 's'] }],
    ['patient/Observation.rs', { kind: 'resource', version: 2, interactions: ['r', 's'] }],
    ['patient/Observation.cruds', { kind: 'resource', version: 2, interactions: ['c', 'r', 'u', 'd', 's'] }],
    ['system/Observation.r', { kind: 'resource', context: 'system', version: 2, interactions: ['r'] }],
    ['system/Document.read', { kind: 'resource', context: 'system', resourceType: 'Document' }],
    ['system/Binary.read', { kind: 'resource', context: 'system', resourceType: 'Binary' }],
    ['system/*.$export', { kind: 'operation', resourceType: '*', operation: '$export' }],
    ['system/Patient.$export', { kind: 'operation', resourceType: 'Patient', operation: '$export' }],
    ['system/*.$bulkdata-status', { kind: 'operation', resourceType: '*', operation: '$bulkdata-status' }],
    ['openid', { kind: 'special', name: 'openid' }],
    ['fhirUser', { kind: 'special', name: 'fhirUser' }],
    ['profile', { kind: 'special' }],
    ['offline_access', { kind: 'special' }],
    ['online_access', { kind: 'special' }],
    ['launch', { kind: 'special' }],
    ['launch/patient', { kind: 'special' }],
    ['launch/encounter', { kind: 'special' }],
  ])('understands %s', (raw, expected) => {
    const scope = parseScope(raw);
    const { interactions, ...rest } = expected as { interactions?: string[] };
    expect(scope).toMatchObject({ raw, ...rest });
    if (interactions) expect(scope.kind === 'resource' && [...scope.interactions]).toEqual(interactions);
  });

  it('keeps the granular query of a v2 scope as name/value constraints', () => {
    const scope = parseScope(`patient/Observation.rs?${LAB}`);
    expect(scope).toMatchObject({
      kind: 'resource',
      params: [{ name: 'category', value: 'http://terminology.hl7.org/CodeSystem/observation-category|laboratory' }],
    });
  });

  it.each([
    ['patient/*.read', 'wildcard'],
    ['patient/*.*', 'wildcard'],
    ['user/*.*', 'wildcard'],
    ['system/*.read', 'wildcard'],
    ['system/*.rs', 'wildcard'],
    ['*.*', 'not a SMART scope'],
    ['patient/Observation', 'not a SMART scope'],
    ['patient/Observation.sr', 'unknown permissions'],
    ['patient/Observation.x', 'unknown permissions'],
    ['patient/Observation.rr', 'unknown permissions'],
    ['patient/Observatoin.read', 'unknown resource type'],
    ['patient/observation.read', 'unknown resource type'],
    ['practitioner/Observation.read', 'not a SMART scope'],
    [`patient/Observation.read?${LAB}`, 'need v2'],
    ['patient/Observation.rs?', 'empty query'],
    ['patient/Observation.rs?=x', 'malformed'],
    ['system/Patient.$bulkdata-status', 'use system/*'],
    ['system/Observation.$export', 'unknown permissions'],
    ['patient/*.$export', 'wildcard'],
    ['email', 'not a SMART scope'],
    ['launch/practitioner', 'not a SMART scope'],
  ])('refuses %s', (raw, reason) => {
    expect(() => parseScope(raw)).toThrow(ScopeParseError);
    expect(() => parseScope(raw)).toThrow(reason);
  });
});

describe('ScopeSet', () => {
  it('parses a space-separated string, drops duplicates and keeps the original forms', () => {
    const set = ScopeSet.parse('openid  fhirUser patient/Observation.read openid patient/Condition.rs');
    expect(set.toString()).toBe('openid fhirUser patient/Observation.read patient/Condition.rs');
    expect(set.size).toBe(4);
  });

  it('parse throws on the first bad scope while tryParse lists every one', () => {
    expect(() => ScopeSet.parse('openid patient/*.read')).toThrow(ScopeParseError);
    const { set, invalid } = ScopeSet.tryParse('openid patient/*.read user/*.* launch');
    expect(set.toString()).toBe('openid launch');
    expect(invalid.map((e) => e.scope)).toEqual(['patient/*.read', 'user/*.*']);
  });

  it('an empty or missing string is an empty set', () => {
    expect(ScopeSet.parse('').size).toBe(0);
    expect(ScopeSet.parse(undefined).size).toBe(0);
  });

  it.each([
    ['patient/Observation.read', 'patient', 'Observation', 'r', true],
    ['patient/Observation.read', 'patient', 'Observation', 's', true],
    ['patient/Observation.read', 'patient', 'Observation', 'c', false],
    ['patient/Observation.read', 'user', 'Observation', 'r', false],
    ['patient/Observation.read', 'patient', 'Condition', 'r', false],
    ['patient/Observation.write', 'patient', 'Observation', 'u', true],
    ['patient/Observation.write', 'patient', 'Observation', 'r', false],
    ['patient/Observation.*', 'patient', 'Observation', 'd', true],
    ['user/Patient.r', 'user', 'Patient', 'r', true],
    ['user/Patient.r', 'user', 'Patient', 's', false],
    ['patient/Observation.cu', 'patient', 'Observation', 'c', true],
    ['patient/Observation.cu', 'patient', 'Observation', 'd', false],
    ['system/Observation.rs', 'system', 'Observation', 's', true],
    ['system/*.$export', 'system', 'Observation', 'r', false],
    [`patient/Observation.rs?${LAB}`, 'patient', 'Observation', 'r', true],
  ] as const)('%s allows %s/%s.%s: %s', (scopes, context, type, interaction, expected) => {
    expect(ScopeSet.parse(scopes).allows(context, type, interaction)).toBe(expected);
  });

  it('allowsOperation covers a type-specific export with the wildcard operation scope', () => {
    const set = ScopeSet.parse('system/*.$export system/*.$bulkdata-status');
    expect(set.allowsOperation('$export', 'Patient')).toBe(true);
    expect(set.allowsOperation('$bulkdata-status')).toBe(true);
    expect(ScopeSet.parse('system/Patient.$export').allowsOperation('$export', 'Group')).toBe(false);
    expect(ScopeSet.parse('system/Patient.$export').allowsOperation('$export')).toBe(false);
  });

  it('filtersFor: null when not allowed, [] when some scope is unrestricted, else the filters', () => {
    const granular = ScopeSet.parse(`patient/Observation.rs?${LAB} patient/Observation.rs?category=vital-signs`);
    expect(granular.filtersFor('patient', 'Observation', 'r')).toEqual([
      { scope: `patient/Observation.rs?${LAB}`, params: [{ name: 'category', value: LAB.slice('category='.length) }] },
      { scope: 'patient/Observation.rs?category=vital-signs', params: [{ name: 'category', value: 'vital-signs' }] },
    ]);
    expect(granular.filtersFor('patient', 'Observation', 'c')).toBeNull();
    expect(granular.filtersFor('user', 'Observation', 'r')).toBeNull();
    const mixed = ScopeSet.parse(`patient/Observation.rs?${LAB} patient/Observation.read`);
    expect(mixed.filtersFor('patient', 'Observation', 's')).toEqual([]);
  });

  it('hasContext reports the contexts that resource and operation scopes use', () => {
    const set = ScopeSet.parse('openid patient/Observation.rs system/*.$export');
    expect(set.hasContext('patient')).toBe(true);
    expect(set.hasContext('system')).toBe(true);
    expect(set.hasContext('user')).toBe(false);
  });
});

describe('narrows (DESIGN §10)', () => {
  it.each([
    ['patient/Observation.rs', 'patient/Observation.rs', true],
    ['patient/Observation.rs', `patient/Observation.rs?${LAB}`, true],
    ['patient/Observation.rs', 'patient/Observation.rs?category=laboratory', true],
    ['patient/Observation.read', 'patient/Observation.rs', true],
    ['patient/Observation.rs', 'patient/Observation.read', true],
    ['patient/Observation.read', 'patient/Observation.r', true],
    ['patient/Observation.*', 'patient/Observation.write', true],
    ['patient/Observation.cruds', 'patient/Observation.read', true],
    ['patient/Observation.r', 'patient/Observation.rs', false],
    ['patient/Observation.read', 'patient/Observation.write', false],
    ['patient/Observation.rs', 'user/Observation.rs', false],
    ['patient/Observation.rs', 'patient/Condition.rs', false],
    [`patient/Observation.rs?${LAB}`, 'patient/Observation.rs', false],
    [`patient/Observation.rs?${LAB}`, 'patient/Observation.rs?category=vital-signs', false],
    [`patient/Observation.rs?${LAB}`, `patient/Observation.r?${LAB}&code=1234-5`, true],
    ['system/*.$export', 'system/Patient.$export', true],
    ['system/Patient.$export', 'system/*.$export', false],
    ['launch', 'launch/patient', false],
    ['openid', 'openid', true],
    ['openid fhirUser patient/Observation.read', 'openid patient/Observation.rs', true],
    ['openid patient/Observation.read', 'openid offline_access patient/Observation.rs', false],
    ['', 'openid', false],
    ['openid', '', true],
  ])('registered "%s", requested "%s": %s', (registered, requested, expected) => {
    expect(narrows(ScopeSet.parse(registered), ScopeSet.parse(requested))).toBe(expected);
  });

  it('notCovering names the scopes that are not covered', () => {
    const registered = ScopeSet.parse('openid patient/Observation.rs');
    expect(registered.notCovering(ScopeSet.parse('openid patient/Condition.rs offline_access'))).toEqual([
      'patient/Condition.rs',
      'offline_access',
    ]);
  });
});

describe('labels', () => {
  it.each([
    ['offline_access', 'Stay connected (offline access)'],
    ['patient/Observation.read', 'Read and search your observations (vital signs, lab results)'],
    ['patient/Observation.rs?category=http://x|laboratory', 'Read and search your observations (vital signs, lab results) (only laboratory)'],
    ['user/AllergyIntolerance.cud', 'Create, update and delete the allergies'],
    ['patient/FamilyMemberHistory.r', 'Read your family member history records'],
    ['system/*.$export', 'Export data in bulk'],
    ['openid', 'Confirm who you are (sign in)'],
  ])('%s reads as "%s"', (raw, label) => {
    expect(scopeLabel(parseScope(raw))).toBe(label);
  });

  it('ScopeSet.labels pairs each scope with its label in order', () => {
    expect(ScopeSet.parse('openid offline_access').labels()).toEqual([
      { scope: 'openid', label: 'Confirm who you are (sign in)' },
      { scope: 'offline_access', label: 'Stay connected (offline access)' },
    ]);
  });
});
