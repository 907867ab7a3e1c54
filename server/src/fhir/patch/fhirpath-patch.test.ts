import { beforeAll, describe, expect, it } from 'vitest';
import { FhirError } from '../../http/errors.js';
import { fhirRegistry } from '../definitions/registry.js';
import type { FhirJson } from '../storage/fhir-store.js';
import { fhirPathPatch } from './fhirpath-patch.js';

type Part = Record<string, unknown>;

/** One `operation` parameter from its parts, written the way the spec's examples are. */
function operation(type: string, path: string, ...more: Part[]): Part {
  return { name: 'operation', part: [{ name: 'type', valueCode: type }, { name: 'path', valueString: path }, ...more] };
}

const patchOf = (...operations: Part[]) => ({ resourceType: 'Parameters', parameter: operations });
const name = (value: string): Part => ({ name: 'name', valueString: value });
const index = (value: number): Part => ({ name: 'index', valueInteger: value });
const value = (part: Part): Part => ({ name: 'value', ...part });

/** A primitive's id and extensions, as FHIR JSON keeps them under `_name` beside it. */
const ext = (text: string) => ({ extension: [{ url: 'urn:ext', valueString: text }] });

/** The second given name carries an extension, kept in the parallel `_given` array. */
const official = () => ({ use: 'official', family: 'Ng', given: ['Anna', 'Beth'], _given: [null, ext('b')] });
const usual = () => ({ use: 'usual', given: ['Annie'] });

function patient(): FhirJson {
  return { resourceType: 'Patient', id: 'p1', meta: { versionId: '3' }, birthDate: '1970-01-02', name: [official(), usual()], telecom: [{ system: 'phone', value: '1' }] };
}

function applied(resource: FhirJson, document: unknown): unknown {
  return fhirPathPatch(document)(resource);
}

/** The FhirError a call throws. */
function failure(run: () => unknown): FhirError {
  try {
    run();
  } catch (error) {
    if (error instanceof FhirError) return error;
    throw error;
  }
  throw new Error('expected a FhirError');
}

beforeAll(() => {
  // loads the R4 definitions into @medplum/core, as the server does at start
  fhirRegistry();
});

describe('add', () => {
  it('appends to a list, sets a missing element and leaves the input untouched', () => {
    const input = patient();
    const result = applied(
      input,
      patchOf(
        operation('add', 'Patient', name('telecom'), value({ valueContactPoint: { system: 'email', value: 'a@example.org' } })),
        operation('add', 'Patient', name('gender'), value({ valueCode: 'female' })),
        operation('add', "Patient.name.where(use='usual')", name('family'), value({ valueString: 'Ng' })),
      ),
    );
    expect(result).toEqual({
      ...patient(),
      gender: 'female',
      name: [official(), { use: 'usual', given: ['Annie'], family: 'Ng' }],
      telecom: [
        { system: 'phone', value: '1' },
        { system: 'email', value: 'a@example.org' },
      ],
    });
    expect(input).toEqual(patient());
  });

  it('builds a complex value from parts, repeating parts making a list', () => {
    const contact = value({
      part: [
        { name: 'name', valueHumanName: { family: 'Ng', given: ['Carl'] } },
        { name: 'relationship', valueCodeableConcept: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0131', code: 'N' }] } },
        { name: 'relationship', valueCodeableConcept: { text: 'brother' } },
        { name: 'telecom', part: [{ name: 'system', valueCode: 'phone' }, { name: 'value', valueString: '555' }] },
      ],
    });
    expect(applied(patient(), patchOf(operation('add', 'Patient', name('contact'), contact)))).toEqual({
      ...patient(),
      contact: [
        {
          name: { family: 'Ng', given: ['Carl'] },
          relationship: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0131', code: 'N' }] }, { text: 'brother' }],
          telecom: [{ system: 'phone', value: '555' }],
        },
      ],
    });
  });

  it('adds a resource value and names a choice element by the value type', () => {
    const organization = { resourceType: 'Organization', id: 'org', name: 'Clinic' };
    expect(applied(patient(), patchOf(operation('add', 'Patient', name('contained'), value({ resource: organization }))))).toEqual({ ...patient(), contained: [organization] });
    const observation = { resourceType: 'Observation', id: 'o1', status: 'final', code: { text: 'pulse' } };
    expect(applied(observation, patchOf(operation('add', 'Observation', name('value'), value({ valueQuantity: { value: 70, unit: '/min' } }))))).toEqual({
      ...observation,
      valueQuantity: { value: 70, unit: '/min' },
    });
  });

  it('refuses an element that already has a value, an unknown element and a path selecting several or no elements', () => {
    const twice = failure(() => applied(patient(), patchOf(operation('add', 'Patient', name('birthDate'), value({ valueDate: '1980-01-01' })))));
    expect(twice.status).toBe(422);
    expect(twice.issues[0]).toMatchObject({ code: 'processing', expression: ['Parameters.parameter[0]'] });
    expect(twice.issues[0]!.diagnostics).toMatch(/already has a value/);
    expect(failure(() => applied(patient(), patchOf(operation('add', 'Patient', name('nickname'), value({ valueString: 'x' }))))).issues[0]!.diagnostics).toMatch(/Patient has no element "nickname"/);
    expect(failure(() => applied(patient(), patchOf(operation('add', 'Patient.name', name('family'), value({ valueString: 'x' }))))).issues[0]!.diagnostics).toMatch(/selects 2 elements/);
    expect(failure(() => applied(patient(), patchOf(operation('add', 'Patient.contact', name('gender'), value({ valueCode: 'male' }))))).status).toBe(422);
    expect(failure(() => applied(patient(), patchOf(operation('add', 'Patient.birthDate', name('extension'), value({ valueString: 'x' }))))).issues[0]!.diagnostics).toMatch(/can hold other elements/);
  });
});

describe('insert and move', () => {
  const givenOfOfficial = "Patient.name.where(use='official').given";

  it('inserts into a nested list at an index, keeping primitive extensions in step', () => {
    const result = applied(patient(), patchOf(operation('insert', givenOfOfficial, index(1), value({ valueString: 'Cleo' })), operation('insert', givenOfOfficial, index(3), value({ valueString: 'Dora' }))));
    expect(result).toEqual({
      ...patient(),
      name: [{ use: 'official', family: 'Ng', given: ['Anna', 'Cleo', 'Beth', 'Dora'], _given: [null, null, { extension: [{ url: 'urn:ext', valueString: 'b' }] }, null] }, usual()],
    });
  });

  it('creates a missing list when inserting at 0', () => {
    expect(applied(patient(), patchOf(operation('insert', "Patient.name.where(use='usual').prefix", index(0), value({ valueString: 'Dr' }))))).toEqual({
      ...patient(),
      name: [official(), { use: 'usual', given: ['Annie'], prefix: ['Dr'] }],
    });
  });

  it('moves an element within a list', () => {
    const document = patchOf(
      operation('insert', givenOfOfficial, index(2), value({ valueString: 'Cleo' })),
      operation('move', givenOfOfficial, { name: 'source', valueInteger: 0 }, { name: 'destination', valueInteger: 2 }),
    );
    expect(applied(patient(), document)).toEqual({
      ...patient(),
      name: [{ use: 'official', family: 'Ng', given: ['Beth', 'Cleo', 'Anna'], _given: [{ extension: [{ url: 'urn:ext', valueString: 'b' }] }, null, null] }, usual()],
    });
  });

  it('refuses an index out of range, a list under several parents and an element that is not a list', () => {
    const outOfRange = failure(() => applied(patient(), patchOf(operation('insert', givenOfOfficial, index(3), value({ valueString: 'X' })))));
    expect(outOfRange.status).toBe(422);
    expect(outOfRange.issues[0]!.diagnostics).toBe(`operation 0 (insert): index 3 is out of range: the list has 2 item(s)`);
    expect(failure(() => applied(patient(), patchOf(operation('insert', givenOfOfficial, index(-1), value({ valueString: 'X' }))))).status).toBe(422);
    const moveTooFar = failure(() => applied(patient(), patchOf(operation('move', givenOfOfficial, { name: 'source', valueInteger: 0 }, { name: 'destination', valueInteger: 2 }))));
    expect(moveTooFar.issues[0]!.diagnostics).toMatch(/destination 2 is out of range/);
    expect(failure(() => applied(patient(), patchOf(operation('insert', 'Patient.name.given', index(0), value({ valueString: 'X' }))))).issues[0]!.diagnostics).toMatch(/selects 2 elements/);
    expect(failure(() => applied(patient(), patchOf(operation('insert', 'Patient.birthDate', index(0), value({ valueDate: '1990-01-01' }))))).issues[0]!.diagnostics).toMatch(/not a list/);
  });
});

describe('delete and replace', () => {
  it('deletes one element found through filters, with its primitive extension', () => {
    expect(applied(patient(), patchOf(operation('delete', "Patient.name.where(use='official').given[1]")))).toEqual({
      ...patient(),
      name: [{ use: 'official', family: 'Ng', given: ['Anna'] }, usual()],
    });
    expect(applied(patient(), patchOf(operation('delete', 'Patient.telecom')))).toEqual({ ...patient(), telecom: undefined });
    expect(applied(patient(), patchOf(operation('delete', "Patient.name.where(use='usual')")))).toEqual({ ...patient(), name: [official()] });
  });

  it('deletes nothing when nothing matches, but refuses several matches', () => {
    expect(applied(patient(), patchOf(operation('delete', 'Patient.gender')))).toEqual(patient());
    const several = failure(() => applied(patient(), patchOf(operation('delete', 'Patient.name.given'))));
    expect(several.status).toBe(422);
    expect(several.issues[0]!.diagnostics).toMatch(/selects 3 elements/);
  });

  it('replaces primitives, complex elements and choice elements of another type', () => {
    const result = applied(
      patient(),
      patchOf(
        operation('replace', 'Patient.birthDate', value({ valueDate: '1971-02-03' })),
        operation('replace', "Patient.name.where(use='official').given.last()", value({ valueString: 'Bea' })),
        operation('replace', "Patient.name.where(use='usual')", value({ valueHumanName: { use: 'nickname', text: 'Nan' } })),
      ),
    );
    expect(result).toEqual({ ...patient(), birthDate: '1971-02-03', name: [{ use: 'official', family: 'Ng', given: ['Anna', 'Bea'] }, { use: 'nickname', text: 'Nan' }] });
    const observation = { resourceType: 'Observation', id: 'o1', status: 'final', code: { text: 'pulse' }, valueString: 'fast' };
    expect(applied(observation, patchOf(operation('replace', 'Observation.value', value({ valueQuantity: { value: 120 } }))))).toEqual({
      resourceType: 'Observation',
      id: 'o1',
      status: 'final',
      code: { text: 'pulse' },
      valueQuantity: { value: 120 },
    });
  });

  it('refuses to replace nothing or several elements', () => {
    expect(failure(() => applied(patient(), patchOf(operation('replace', 'Patient.gender', value({ valueCode: 'male' }))))).issues[0]!.diagnostics).toMatch(/selects 0 elements/);
    expect(failure(() => applied(patient(), patchOf(operation('replace', 'Patient.name.given', value({ valueString: 'X' }))))).status).toBe(422);
  });

  it('answers a failing FHIRPath function with 422', () => {
    const error = failure(() => applied(patient(), patchOf(operation('delete', 'Patient.name.given.single()'))));
    expect(error.status).toBe(422);
    expect(error.issues[0]!.diagnostics).toMatch(/could not be evaluated/);
  });
});

describe('primitive extensions: _value[x] and the _name sibling', () => {
  const givenOfOfficial = "Patient.name.where(use='official').given";
  const givenOfUsual = "Patient.name.where(use='usual').given";

  it('add carries _value[x] into the _name sibling, null-padded in a list and in a value built from parts', () => {
    const contact = value({ part: [{ name: 'gender', valueCode: 'male', _valueCode: ext('c') }, { name: 'name', valueHumanName: { text: 'Carl' } }] });
    const result = applied(
      patient(),
      patchOf(
        operation('add', "Patient.name.where(use='usual')", name('given'), value({ valueString: 'Bo', _valueString: ext('o') })),
        operation('add', 'Patient', name('gender'), value({ valueCode: 'female', _valueCode: ext('g') })),
        operation('add', 'Patient', name('contact'), contact),
      ),
    );
    expect(result).toStrictEqual({
      ...patient(),
      gender: 'female',
      _gender: ext('g'),
      name: [official(), { use: 'usual', given: ['Annie', 'Bo'], _given: [null, ext('o')] }],
      contact: [{ gender: 'male', _gender: ext('c'), name: { text: 'Carl' } }],
    });
  });

  it('insert and replace carry _value[x], the _given array kept aligned', () => {
    const result = applied(
      patient(),
      patchOf(
        operation('insert', givenOfOfficial, index(0), value({ valueString: 'Cleo', _valueString: ext('c') })),
        operation('replace', `${givenOfOfficial}[1]`, value({ valueString: 'Ana', _valueString: ext('a') })),
        operation('insert', givenOfUsual, index(0), value({ valueString: 'Bo', _valueString: ext('o') })),
        operation('replace', 'Patient.birthDate', value({ valueDate: '1971-02-03', _valueDate: ext('d') })),
      ),
    );
    expect(result).toStrictEqual({
      ...patient(),
      birthDate: '1971-02-03',
      _birthDate: ext('d'),
      name: [
        { use: 'official', family: 'Ng', given: ['Cleo', 'Ana', 'Beth'], _given: [ext('c'), ext('a'), ext('b')] },
        { use: 'usual', given: ['Bo', 'Annie'], _given: [ext('o'), null] },
      ],
    });
  });

  it('replace swaps the extensions with those it gives: none given, none kept', () => {
    const withBirthDateExtension = { ...patient(), _birthDate: ext('d') };
    const result = applied(
      withBirthDateExtension,
      patchOf(
        operation('replace', `${givenOfOfficial}[1]`, value({ valueString: 'Bea' })),
        operation('replace', `${givenOfOfficial}[0]`, value({ valueString: 'Ana', _valueString: ext('a') })),
        operation('replace', 'Patient.birthDate', value({ valueDate: '1971-02-03' })),
      ),
    );
    expect(result).toStrictEqual({ ...patient(), birthDate: '1971-02-03', name: [{ use: 'official', family: 'Ng', given: ['Ana', 'Bea'], _given: [ext('a'), null] }, usual()] });
  });

  it('takes a _value[x] alone for a primitive with extensions only, which later operations find', () => {
    const result = applied(
      patient(),
      patchOf(
        operation('add', "Patient.name.where(use='usual')", name('given'), value({ _valueString: ext('u') })),
        operation('replace', 'Patient.birthDate', value({ _valueDate: ext('d') })),
        operation('add', 'Patient', name('deceased'), value({ _valueDateTime: ext('x') })),
      ),
    );
    const { birthDate: _birthDate, ...withoutBirthDate } = patient();
    const extensionsOnly = { ...withoutBirthDate, _birthDate: ext('d'), _deceasedDateTime: ext('x'), name: [official(), { use: 'usual', given: ['Annie', null], _given: [null, ext('u')] }] };
    expect(result).toStrictEqual(extensionsOnly);
    const patchedAgain = applied(
      extensionsOnly,
      patchOf(operation('replace', 'Patient.birthDate', value({ valueDate: '1972-01-01' })), operation('delete', `${givenOfUsual}[1]`), operation('delete', 'Patient.deceased')),
    );
    expect(patchedAgain).toStrictEqual({ ...withoutBirthDate, birthDate: '1972-01-01' });
  });

  it('keeps _given aligned through delete, move and insert, also when a writer left off its trailing nulls', () => {
    expect(applied(patient(), patchOf(operation('delete', `${givenOfOfficial}[0]`)))).toStrictEqual({ ...patient(), name: [{ use: 'official', family: 'Ng', given: ['Beth'], _given: [ext('b')] }, usual()] });
    const short = (): FhirJson => ({ resourceType: 'Patient', id: 'p2', name: [{ use: 'official', given: ['Anna', 'Beth', 'Cleo'], _given: [ext('a')] }] });
    const withName = (given: Record<string, unknown>): FhirJson => ({ resourceType: 'Patient', id: 'p2', name: [{ use: 'official', ...given }] });
    const moved = applied(short(), patchOf(operation('move', givenOfOfficial, { name: 'source', valueInteger: 0 }, { name: 'destination', valueInteger: 2 })));
    expect(moved).toStrictEqual(withName({ given: ['Beth', 'Cleo', 'Anna'], _given: [null, null, ext('a')] }));
    const inserted = applied(short(), patchOf(operation('insert', givenOfOfficial, index(3), value({ valueString: 'Dora', _valueString: ext('d') }))));
    expect(inserted).toStrictEqual(withName({ given: ['Anna', 'Beth', 'Cleo', 'Dora'], _given: [ext('a'), null, null, ext('d')] }));
    // the only extension goes with its value, and an array of nulls is left out
    expect(applied(short(), patchOf(operation('delete', `${givenOfOfficial}[0]`)))).toStrictEqual(withName({ given: ['Beth', 'Cleo'] }));
  });

  it('adds to a list whose values are all extension-only primitives, kept under _given alone', () => {
    const extensionsOnly = (): FhirJson => ({ resourceType: 'Patient', id: 'p3', name: [{ use: 'official', _given: [ext('a'), ext('b')] }] });
    const withName = (given: Record<string, unknown>): FhirJson => ({ resourceType: 'Patient', id: 'p3', name: [{ use: 'official', ...given }] });
    const added = applied(extensionsOnly(), patchOf(operation('add', "Patient.name.where(use='official')", name('given'), value({ valueString: 'Cleo' }))));
    expect(added).toStrictEqual(withName({ given: [null, null, 'Cleo'], _given: [ext('a'), ext('b'), null] }));
    const inserted = applied(extensionsOnly(), patchOf(operation('insert', givenOfOfficial, index(1), value({ valueString: 'Cleo', _valueString: ext('c') }))));
    expect(inserted).toStrictEqual(withName({ given: [null, 'Cleo', null], _given: [ext('a'), ext('c'), ext('b')] }));
    // a position past the values that are there, counting those with extensions only, is refused
    expect(failure(() => applied(extensionsOnly(), patchOf(operation('insert', givenOfOfficial, index(3), value({ valueString: 'Cleo' }))))).status).toBe(422);
  });

  it('refuses a _value[x] for an element that is not a primitive', () => {
    const contact = failure(() => applied(patient(), patchOf(operation('add', 'Patient', name('contact'), value({ _valueString: ext('x') })))));
    expect(contact.status).toBe(422);
    expect(contact.issues[0]!.diagnostics).toBe('operation 0 (add): contact is not a primitive, so its value has no _value[x]');
    expect(failure(() => applied(patient(), patchOf(operation('replace', 'Patient.telecom', value({ valueString: '1', _valueString: ext('x') }))))).status).toBe(422);
  });
});

describe('malformed documents', () => {
  const malformed: [string, unknown, RegExp][] = [
    ['not a Parameters resource', { resourceType: 'Patient' }, /is a Parameters resource/],
    ['a parameter not named operation', { resourceType: 'Parameters', parameter: [{ name: 'op', part: [] }] }, /named "operation"/],
    ['an operation without parts', { resourceType: 'Parameters', parameter: [{ name: 'operation' }] }, /has parts/],
    ['no type', patchOf({ name: 'operation', part: [{ name: 'path', valueString: 'Patient.gender' }] }), /no type part/],
    ['an unknown type', patchOf(operation('remove', 'Patient.gender')), /unknown operation type "remove"/],
    ['the type as a string', patchOf({ name: 'operation', part: [{ name: 'type', valueString: 'delete' }, { name: 'path', valueString: 'Patient.gender' }] }), /non-empty valueCode/],
    ['no path', patchOf({ name: 'operation', part: [{ name: 'type', valueCode: 'delete' }] }), /needs a path part/],
    ['a path as an integer', patchOf({ name: 'operation', part: [{ name: 'type', valueCode: 'delete' }, { name: 'path', valueInteger: 1 }] }), /non-empty valueString/],
    ['a path that does not parse', patchOf(operation('delete', 'Patient.name.((')), /not a FHIRPath expression/],
    ['a path ending in a computed value', patchOf(operation('delete', 'Patient.name.count()')), /must end in an element name/],
    ['an insert path with a filter', patchOf(operation('insert', 'Patient.name.first()', index(0), value({ valueHumanName: {} }))), /must end in an element name \(the list\)/],
    ['an index as a string', patchOf(operation('insert', 'Patient.name', { name: 'index', valueString: '0' }, value({ valueHumanName: {} }))), /valueInteger/],
    ['an add without a name', patchOf(operation('add', 'Patient', value({ valueCode: 'male' }))), /needs a name part/],
    ['a replace without a value', patchOf(operation('replace', 'Patient.gender')), /needs a value part/],
    ['a part the type does not take', patchOf(operation('delete', 'Patient.gender', value({ valueCode: 'male' }))), /takes no value part/],
    ['an unknown part', patchOf(operation('delete', 'Patient.gender', { name: 'where', valueString: 'x' })), /unknown part "where"/],
    ['a part given twice', patchOf(operation('delete', 'Patient.gender', { name: 'path', valueString: 'Patient.birthDate' })), /given twice/],
    ['two value[x]', patchOf(operation('replace', 'Patient.gender', value({ valueCode: 'male', valueString: 'male' }))), /one value\[x\]/],
    ['a value and parts', patchOf(operation('replace', 'Patient.gender', value({ valueCode: 'male', part: [] }))), /exactly one of value\[x\], resource or part/],
    ['a nested part without a name', patchOf(operation('add', 'Patient', name('contact'), value({ part: [{ valueString: 'x' }] }))), /names the element it sets/],
    ['a _value[x] of another type than the value[x]', patchOf(operation('replace', 'Patient.gender', value({ valueCode: 'male', _valueString: ext('x') }))), /_valueString does not match valueCode/],
    ['a _value[x] that is a string', patchOf(operation('replace', 'Patient.gender', value({ valueCode: 'male', _valueCode: 'x' }))), /_valueCode is an object/],
    ['a _value[x] that is an array', patchOf(operation('replace', 'Patient.gender', value({ _valueCode: [ext('x')] }))), /_valueCode is an object/],
    ['a _value[x] that is null', patchOf(operation('replace', 'Patient.gender', value({ valueCode: 'male', _valueCode: null }))), /_valueCode is an object/],
    ['a _value[x] of a complex type', patchOf(operation('add', 'Patient', name('telecom'), value({ valueContactPoint: { value: '1' }, _valueContactPoint: ext('x') }))), /only a primitive/],
    ['two _value[x]', patchOf(operation('replace', 'Patient.gender', value({ _valueCode: ext('x'), _valueString: ext('y') }))), /one _value\[x\]/],
    ['a _value[x] beside parts', patchOf(operation('add', 'Patient', name('contact'), value({ _valueString: ext('x'), part: [{ name: 'gender', valueCode: 'male' }] }))), /exactly one of value\[x\], resource or part/],
  ];

  it.each(malformed)('answers 400 to %s', (_what, document, diagnostics) => {
    const error = failure(() => fhirPathPatch(document));
    expect(error.status).toBe(400);
    expect(['structure', 'invalid']).toContain(error.issues[0]!.code);
    expect(error.issues[0]!.diagnostics).toMatch(diagnostics);
  });

  it('accepts an empty patch, which changes nothing', () => {
    expect(applied(patient(), { resourceType: 'Parameters' })).toEqual(patient());
  });
});
