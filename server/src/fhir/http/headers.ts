import type { Request } from 'express';
import { FhirError } from '../../http/errors.js';
import type { StoredResource } from '../storage/fhir-store.js';

export type ReturnPreference = 'minimal' | 'representation' | 'OperationOutcome';

/** `Prefer: return=…, handling=…` (RFC 7240), as FHIR uses it. */
export function preferences(req: Request): { return: ReturnPreference; strict: boolean } {
  const header = req.get('prefer') ?? '';
  const values = new Map(
    header
      .split(/[;,]/)
      .map((part) => part.trim().split('='))
      .map(([key = '', value = '']) => [key.trim().toLowerCase(), value.trim().replace(/^"|"$/g, '')] as const),
  );
  const ret = values.get('return');
  return {
    return: ret === 'minimal' || ret === 'OperationOutcome' ? ret : 'representation',
    strict: values.get('handling') === 'strict',
  };
}

/** `If-Match: W/"3"` → 3; a value that is not a version answers 412 (it cannot match). */
export function ifMatchVersion(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const match = /^(?:W\/)?"?(\d+)"?$/.exec(value.trim());
  if (!match) throw new FhirError(412, `If-Match "${value}" does not name a version`, 'conflict');
  return Number(match[1]);
}

/** `_format` may ask for JSON only; XML and other formats answer 406. */
export function checkFormat(format: unknown): void {
  if (format === undefined) return;
  const value = String(format).toLowerCase();
  if (!['json', 'application/json', 'application/fhir+json', 'application/json+fhir'].includes(value.split(';')[0]!.trim())) {
    throw new FhirError(406, `_format ${String(format)} is not supported; this server speaks JSON`, 'not-supported');
  }
}

/**
 * Conditional read (RFC 9110 §13.1.2, §13.1.3): whether the client's copy is current. `If-None-Match`
 * (`W/"3"`, a list, or `*`) decides when present; otherwise `If-Modified-Since`, at the one-second
 * precision of `Last-Modified`.
 */
export function notModified(req: Request, stored: StoredResource): boolean {
  const ifNoneMatch = req.get('if-none-match');
  if (ifNoneMatch !== undefined) {
    return ifNoneMatch.split(',').some((tag) => {
      const value = tag.trim();
      return value === '*' || value.replace(/^W\//, '') === `"${stored.versionId}"`;
    });
  }
  const since = Date.parse(req.get('if-modified-since') ?? '');
  if (Number.isNaN(since)) return false;
  return Math.floor(Date.parse(stored.lastUpdated) / 1000) * 1000 <= since;
}
