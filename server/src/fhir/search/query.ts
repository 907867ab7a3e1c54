import type { CompositeParamDef } from '../definitions/composite-params.js';
import type { SearchParamDef } from '../definitions/registry.js';
import type { DateRange } from '../indexing/date-range.js';

export const prefixes = ['eq', 'ne', 'gt', 'lt', 'ge', 'le', 'sa', 'eb', 'ap'] as const;
export type Prefix = (typeof prefixes)[number];

export interface TokenValue {
  /** undefined: any system; null: no system (`|code`). */
  system?: string | null;
  code?: string;
}
export interface ReferenceValue {
  type?: string;
  id?: string;
  url?: string;
}
export interface NumberValue {
  prefix: Prefix;
  value: number;
  /** The interval the written precision stands for (`5.4` = [5.35, 5.45)). */
  low: number;
  high: number;
}
export interface QuantityValue extends NumberValue {
  system?: string;
  code?: string;
}
export interface DateValue {
  prefix: Prefix;
  range: DateRange;
}

/** One component's value of a composite search value (`http://loinc.org|8480-6$gt100`). */
export type ComponentValue =
  | { type: 'token'; value: TokenValue }
  | { type: 'string'; value: string }
  | { type: 'reference'; value: ReferenceValue }
  | { type: 'date'; value: DateValue }
  | { type: 'number'; value: NumberValue }
  | { type: 'quantity'; value: QuantityValue }
  | { type: 'uri'; value: string };

/** One search condition; a query is their conjunction, the values inside one are alternatives. */
export type Criterion =
  | { kind: 'id'; values: string[] }
  | { kind: 'missing'; param: SearchParamDef; missing: boolean }
  | { kind: 'token'; param: SearchParamDef; modifier?: 'not' | 'text'; values: (TokenValue & { text?: string })[] }
  | { kind: 'string'; param: SearchParamDef; modifier?: 'exact' | 'contains'; values: string[] }
  | { kind: 'reference'; param: SearchParamDef; values: ReferenceValue[] }
  | { kind: 'date'; param: SearchParamDef; values: DateValue[] }
  | { kind: 'number'; param: SearchParamDef; values: NumberValue[] }
  | { kind: 'quantity'; param: SearchParamDef; values: QuantityValue[] }
  | { kind: 'uri'; param: SearchParamDef; modifier?: 'below' | 'above'; values: string[] }
  /** Each value lists one value per component; all of them must match within one element. */
  | { kind: 'composite'; param: CompositeParamDef; values: ComponentValue[][] }
  | { kind: 'chain'; param: SearchParamDef; branches: { resourceType: string; next: Criterion }[] }
  /** `_has:Observation:patient:code=…`: referenced by a sourceType resource (through param) that matches next. */
  | { kind: 'has'; sourceType: string; param: SearchParamDef; next: Criterion }
  /** `_content` (every text of the resource) or `_text` (its narrative): contains one of the normalized values. */
  | { kind: 'text'; scope: TextScope; values: string[] }
  /** `_list=id,…`: an entry (`List.entry.item`) of one of these Lists. */
  | { kind: 'list'; listIds: string[] };

/** What a text search reads: the resource's whole content or only its narrative. */
export type TextScope = 'content' | 'narrative';

/** The criteria that need no index of a type: `_content`, `_text` and `_list`. */
export type SpecialCriterion = Extract<Criterion, { kind: 'text' | 'list' }>;

export interface SortKey {
  /** `_id` sorts by id; otherwise an indexed parameter. */
  param: SearchParamDef | '_id';
  descending: boolean;
}

export interface IncludeSpec {
  sourceType: string;
  param: string;
  targetType?: string;
  iterate: boolean;
}

export interface SearchQuery {
  resourceType: string;
  criteria: Criterion[];
  sort: SortKey[];
  count: number;
  cursor?: string;
  total?: 'none' | 'estimate' | 'accurate';
  summaryCount: boolean;
  /** `_summary=true|text|data` (count is summaryCount). */
  summary?: 'true' | 'text' | 'data';
  elements?: string[];
  includes: IncludeSpec[];
  revIncludes: IncludeSpec[];
  /** Parameters (or modifiers) the server does not support; ignored unless handling is strict. */
  unknown: string[];
}

/**
 * A search across types (`GET /fhir/r4?_type=Patient,Observation&_lastUpdated=ge2024`): the
 * parameters every resource has. Repeated parameters are ANDed, commas inside one are ORs.
 */
export interface SystemSearchQuery {
  /** undefined: every type the caller may search. */
  types?: string[];
  ids: string[][];
  lastUpdated: DateValue[][];
  special: SpecialCriterion[];
  /** `_sort=_lastUpdated` or `-_lastUpdated`; the order is then type and id. */
  sortByLastUpdated?: 'ascending' | 'descending';
  count: number;
  cursor?: string;
  total?: 'none' | 'estimate' | 'accurate';
  summaryCount: boolean;
  unknown: string[];
}

export const defaultCount = 50;
export const maxCount = 1000;
