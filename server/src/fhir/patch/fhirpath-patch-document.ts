import { isPrimitiveType, type Atom } from '@medplum/core';
import { FhirError } from '../../http/errors.js';
import { parsePath, splitPath, type ElementPath } from './fhirpath-patch-path.js';

/**
 * A value as a FHIRPath Patch document gives it: a `value[x]` (its type taken from the key,
 * `valueHumanName` → `HumanName`), a `resource`, or parts naming the children of a complex value
 * that `value[x]` cannot carry (a BackboneElement such as `Patient.contact`).
 */
export type PatchValue = TypedPatchValue | { resource: Record<string, unknown> } | { parts: NamedValue[] };

/**
 * A `value[x]` and, for a primitive, the id and extensions FHIR JSON keeps beside it in
 * `_value[x]` (json.html#primitive): `json` is undefined when a primitive has extensions only.
 */
export interface TypedPatchValue {
  type: string;
  json: unknown;
  shadow?: Record<string, unknown>;
}

export interface NamedValue {
  name: string;
  value: PatchValue;
}

interface OperationBase {
  /** Where the operation sits in the document, for OperationOutcome.issue.expression. */
  where: string;
}

/** add takes the element to add to; insert and move the list; delete and replace the element itself. */
export type FhirPathPatchOperation =
  | (OperationBase & { type: 'add'; path: { text: string; atom: Atom }; name: string; value: PatchValue })
  | (OperationBase & { type: 'insert'; path: ElementPath; index: number; value: PatchValue })
  | (OperationBase & { type: 'delete'; path: ElementPath })
  | (OperationBase & { type: 'replace'; path: ElementPath; value: PatchValue })
  | (OperationBase & { type: 'move'; path: ElementPath; source: number; destination: number });

type OperationType = FhirPathPatchOperation['type'];
type PartName = 'type' | 'path' | 'name' | 'value' | 'index' | 'source' | 'destination';

/** The parts each operation type needs besides `type` (FHIR R4 fhirpatch.html); any other part is refused. */
const partsOf: Record<OperationType, readonly PartName[]> = {
  add: ['path', 'name', 'value'],
  insert: ['path', 'index', 'value'],
  delete: ['path'],
  replace: ['path', 'value'],
  move: ['path', 'source', 'destination'],
};

const partNames = new Set<string>(['type', ...Object.values(partsOf).flat()]);
const valueKey = /^value[A-Z]/;
const shadowKey = /^_value[A-Z]/;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function malformed(where: string, diagnostics: string, code = 'invalid'): FhirError {
  return new FhirError(400, [{ severity: 'error', code, diagnostics, expression: [where] }]);
}

/** A part's key matching `pattern` (`valueString`, `_valueString`), when it has exactly one. */
function onlyKeyOf(part: Record<string, unknown>, pattern: RegExp, what: string, where: string): string | undefined {
  const keys = Object.keys(part).filter((key) => pattern.test(key));
  if (keys.length > 1) throw malformed(where, `a part carries one ${what}, not ${keys.join(' and ')}`);
  return keys[0];
}

/** The `value[x]` key a part gives its value under; a primitive with extensions only has just `_value[x]` (`_valueString` → `valueString`). */
function typedKeyOf(part: Record<string, unknown>, where: string): string | undefined {
  const key = onlyKeyOf(part, valueKey, 'value[x]', where);
  const shadow = onlyKeyOf(part, shadowKey, '_value[x]', where);
  if (key && shadow && shadow !== `_${key}`) throw malformed(where, `${shadow} does not match ${key}: both describe one value, of one type`);
  return key ?? shadow?.slice(1);
}

/** A `value[x]` with the `_value[x]` beside it, which only a primitive has (json.html#primitive). */
function typedValueOf(part: Record<string, unknown>, key: string, where: string): TypedPatchValue {
  const type = key.slice('value'.length);
  const json = part[key];
  const shadow = part[`_${key}`];
  if (json === null) throw malformed(where, `${key} is null`);
  if (shadow === undefined) return { type, json };
  if (!isObject(shadow)) throw malformed(where, `_${key} is an object holding the value's id and extensions`);
  if (!isPrimitiveType(`${type.charAt(0).toLowerCase()}${type.slice(1)}`)) throw malformed(where, `_${key} is not allowed: only a primitive value has one`);
  return { type, json, shadow };
}

function parseValue(part: Record<string, unknown>, where: string): PatchValue {
  const key = typedKeyOf(part, where);
  const forms = [key, part.resource, part.part].filter((form) => form !== undefined).length;
  if (forms !== 1) throw malformed(where, 'a value is given by exactly one of value[x], resource or part');
  if (key) return typedValueOf(part, key, where);
  if (part.resource !== undefined) {
    if (!isObject(part.resource) || typeof part.resource.resourceType !== 'string') throw malformed(where, 'resource is not a FHIR resource');
    return { resource: part.resource };
  }
  if (!Array.isArray(part.part) || part.part.length === 0) throw malformed(where, 'part is a non-empty array of named values');
  return {
    parts: part.part.map((child, index) => {
      const childWhere = `${where}.part[${index}]`;
      if (!isObject(child) || typeof child.name !== 'string' || child.name === '') throw malformed(childWhere, 'each part of a complex value names the element it sets');
      return { name: child.name, value: parseValue(child, childWhere) };
    }),
  };
}

/** One part of an operation and where it sits in the document. */
interface Part {
  part: Record<string, unknown>;
  where: string;
}

function stringOf({ part, where }: Part, valueName: 'valueString' | 'valueCode'): string {
  const value = part[valueName];
  if (typeof value !== 'string' || value === '') throw malformed(where, `${String(part.name)} is given as a non-empty ${valueName}`);
  return value;
}

function integerOf({ part, where }: Part): number {
  const value = part.valueInteger;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw malformed(where, `${String(part.name)} is given as a valueInteger`);
  return value;
}

function pathOf(found: Part): { text: string; atom: Atom } {
  const text = stringOf(found, 'valueString');
  const atom = parsePath(text);
  if (!atom) throw malformed(found.where, `path "${text}" is not a FHIRPath expression`);
  return { text, atom };
}

/** The path of insert, move, delete and replace: it ends in the element (or list) it names. */
function elementPathOf(found: Part, listOnly: boolean): ElementPath {
  const { text, atom } = pathOf(found);
  const path = splitPath(text, atom);
  if (!path || (listOnly && path.filters.length > 0)) {
    const shape = listOnly ? 'an element name (the list)' : "an element name, optionally followed by where(), first(), last(), single(), tail(), skip(), take(), ofType() or [index]";
    throw malformed(found.where, `path "${text}" must end in ${shape}`);
  }
  return path;
}

/** The parts of one `operation` parameter, by name; a repeated or unknown part is refused. */
function partsByName(parameter: Record<string, unknown>, where: string): Map<string, Part> {
  if (!Array.isArray(parameter.part)) throw malformed(where, 'an operation parameter has parts (type, path, …)', 'structure');
  const parts = new Map<string, Part>();
  parameter.part.forEach((part: unknown, index) => {
    const partWhere = `${where}.part[${index}]`;
    if (!isObject(part) || typeof part.name !== 'string') throw malformed(partWhere, 'each part has a name', 'structure');
    if (!partNames.has(part.name)) throw malformed(partWhere, `unknown part "${part.name}"; an operation has type, path, name, value, index, source and destination`);
    if (parts.has(part.name)) throw malformed(partWhere, `the part "${part.name}" is given twice`);
    parts.set(part.name, { part, where: partWhere });
  });
  return parts;
}

function parseOperation(parameter: unknown, where: string): FhirPathPatchOperation {
  if (!isObject(parameter) || parameter.name !== 'operation') throw malformed(where, 'each parameter of a FHIRPath Patch is named "operation"', 'structure');
  const parts = partsByName(parameter, where);
  const typePart = parts.get('type');
  if (!typePart) throw malformed(where, 'the operation has no type part');
  const type = stringOf(typePart, 'valueCode');
  if (!Object.hasOwn(partsOf, type)) throw malformed(typePart.where, `unknown operation type "${type}"; use add, insert, delete, replace or move`);
  const wanted = partsOf[type as OperationType];
  for (const [name, { where: partWhere }] of parts) {
    if (name !== 'type' && !wanted.includes(name as PartName)) throw malformed(partWhere, `a ${type} operation takes no ${name} part`);
  }
  const need = (name: PartName): Part => {
    const found = parts.get(name);
    if (!found) throw malformed(where, `a ${type} operation needs a ${name} part`);
    return found;
  };
  const value = () => {
    const found = need('value');
    return parseValue(found.part, found.where);
  };
  switch (type as OperationType) {
    case 'add':
      return { where, type: 'add', path: pathOf(need('path')), name: stringOf(need('name'), 'valueString'), value: value() };
    case 'insert':
      return { where, type: 'insert', path: elementPathOf(need('path'), true), index: integerOf(need('index')), value: value() };
    case 'delete':
      return { where, type: 'delete', path: elementPathOf(need('path'), false) };
    case 'replace':
      return { where, type: 'replace', path: elementPathOf(need('path'), false), value: value() };
    case 'move':
      return { where, type: 'move', path: elementPathOf(need('path'), true), source: integerOf(need('source')), destination: integerOf(need('destination')) };
  }
}

/**
 * Reads a FHIRPath Patch document (a Parameters resource, FHIR R4 fhirpatch.html) into its
 * operations. Anything malformed answers 400 before the resource is touched.
 */
export function parseFhirPathPatch(document: unknown): FhirPathPatchOperation[] {
  if (!isObject(document) || document.resourceType !== 'Parameters') throw malformed('Parameters', 'a FHIRPath Patch is a Parameters resource', 'structure');
  if (document.parameter === undefined) return [];
  if (!Array.isArray(document.parameter)) throw malformed('Parameters.parameter', 'Parameters.parameter is an array', 'structure');
  return document.parameter.map((parameter: unknown, index) => parseOperation(parameter, `Parameters.parameter[${index}]`));
}
