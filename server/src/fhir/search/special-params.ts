import { splitSearchOnComma } from '@medplum/core';
import { normalizeString } from '../indexing/normalize.js';
import { BadSearchValue } from './parse-values.js';
import type { Criterion, SpecialCriterion } from './query.js';

/** Types that are not DomainResources: they have no narrative for `_text` to search. */
const withoutNarrative = new Set(['Binary', 'Bundle', 'Parameters']);

export interface SpecialParam {
  name: '_content' | '_text' | '_list';
  type: 'string' | 'special';
  /** The R4 SearchParameter (R4 defines none for `_list`). */
  definition?: string;
  documentation: string;
}

const contentParam: SpecialParam = {
  name: '_content',
  type: 'string',
  definition: 'http://hl7.org/fhir/SearchParameter/Resource-content',
  documentation: 'Text anywhere in the resource (every text value, the narrative without its markup); case and accents ignored',
};
const textParam: SpecialParam = {
  name: '_text',
  type: 'string',
  definition: 'http://hl7.org/fhir/SearchParameter/DomainResource-text',
  documentation: 'Text in the narrative (text.div without its markup); case and accents ignored',
};
const listParam: SpecialParam = {
  name: '_list',
  type: 'special',
  documentation: 'The id of a List: its entries (List.entry.item) of the searched type',
};

/**
 * Selecting parameters that R4 defines without an expression to index (`_content`, `_text`,
 * `_list`): searched on the stored resources and the List index rows instead.
 */
export function specialParams(resourceType: string): SpecialParam[] {
  return withoutNarrative.has(resourceType) ? [contentParam, listParam] : [contentParam, textParam, listParam];
}

export const isSpecialParam = (name: string): boolean => name === '_content' || name === '_text' || name === '_list';

const listId = /^[A-Za-z0-9\-.]{1,64}$/;

/** The criterion of a special parameter, undefined when it (or its modifier) is not supported on the type; bad values throw. */
export function parseSpecialParam(resourceType: string, name: string, modifier: string | undefined, value: string): Criterion | undefined {
  if (modifier || !specialParams(resourceType).some((param) => param.name === name)) return undefined;
  return parseSpecialValue(name as SpecialParam['name'], value);
}

/** The criterion of `_content`, `_text` or `_list` whatever the type (a search across types); bad values throw. */
export function parseSpecialValue(name: SpecialParam['name'], value: string): SpecialCriterion {
  const values = splitSearchOnComma(value);
  if (name === '_list') {
    for (const id of values) {
      if (!listId.test(id)) throw new BadSearchValue(`_list: "${id}" is not the id of a List (only List ids are supported, not references or functional lists such as $current-allergies)`);
    }
    return { kind: 'list', listIds: values };
  }
  const texts = values.map(normalizeString).filter(Boolean);
  if (!texts.length) throw new BadSearchValue(`${name}: needs text to search for`);
  return { kind: 'text', scope: name === '_text' ? 'narrative' : 'content', values: texts };
}
