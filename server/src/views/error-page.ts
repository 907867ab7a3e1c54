import { html, page } from './html.js';

/** Shown when the request cannot be sent back to the app (bad client or redirect URI): never a redirect. */
export function errorPage(practiceName: string, message: string): string {
  return page('Cannot continue', practiceName, html`<h1>This app cannot sign in</h1>
<p class="error" role="alert">${message}</p>
<p class="muted">Close this window and contact the app's developer or your practice.</p>`);
}
