/** Typed errors: handlers throw them, http/error-handler.ts renders them in the right shape for the path. */

/** Admin API and generic routes: rendered as `{ "error": message }`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export type IssueSeverity = 'fatal' | 'error' | 'warning' | 'information';

export interface OutcomeIssue {
  severity: IssueSeverity;
  /** FHIR issue-type code: invalid, structure, required, not-found, forbidden, security, processing, … */
  code: string;
  diagnostics?: string;
  expression?: string[];
}

/** FHIR routes: rendered as an OperationOutcome. */
export class FhirError extends Error {
  readonly issues: OutcomeIssue[];
  constructor(
    readonly status: number,
    issues: string | OutcomeIssue[],
    code = 'processing',
    readonly headers: Record<string, string> = {},
  ) {
    const list = typeof issues === 'string' ? [{ severity: 'error' as const, code, diagnostics: issues }] : issues;
    super(list.map((issue) => issue.diagnostics ?? issue.code).join('; '));
    this.issues = list;
  }
}

/** OAuth endpoints: rendered as RFC 6749 §5.2 JSON `{ error, error_description }`. */
export class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(description ?? error);
  }
}

export function operationOutcome(issues: OutcomeIssue[]): Record<string, unknown> {
  return { resourceType: 'OperationOutcome', issue: issues };
}
