import type { Request } from 'express';
import { FhirError } from '../../http/errors.js';

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
