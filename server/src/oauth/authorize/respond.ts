import type { Response } from 'express';
import type { AppContext } from '../../context.js';

/** Sends the browser back to the app with the result, `state` and `iss` (RFC 9207). */
export function redirectToClient(ctx: AppContext, res: Response, redirectUri: string, result: Record<string, string>, state: string | undefined): void {
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries(result)) url.searchParams.set(name, value);
  if (state !== undefined) url.searchParams.set('state', state);
  url.searchParams.set('iss', ctx.urls().issuer);
  res.set('Cache-Control', 'no-store').redirect(303, url.toString());
}
