import { html, page } from './html.js';

export interface ManagedApp {
  clientId: string;
  clientName: string;
  authorizedAt: Date;
  scopes: { scope: string; label: string }[];
}

/** DESIGN §10: the patient's authorized apps, a Revoke button per app. */
export function managePage(model: { practiceName: string; userName: string; csrf: string; apps: ManagedApp[]; message?: string }): string {
  const items = model.apps.map(
    (app) => html`<li><div><strong>${app.clientName}</strong><br><span class="muted">Connected ${app.authorizedAt.toISOString().slice(0, 10)} · ${app.scopes.map((s) => s.label).join('; ')}</span></div>
<form method="post" action="/oauth2/manage/revoke"><input type="hidden" name="csrf" value="${model.csrf}"><input type="hidden" name="client_id" value="${app.clientId}"><button type="submit" class="secondary">Revoke</button></form></li>`,
  );
  return page('Your connected apps', model.practiceName, html`<h1>Apps connected to your record</h1>
<p class="muted">Signed in as ${model.userName}. <a href="/oauth2/logout">Log out</a></p>
${model.message ? html`<p class="muted" role="status">${model.message}</p>` : ''}
${model.apps.length ? html`<ul class="list">${items}</ul>` : html`<p>No apps can access your record.</p>`}`);
}

export function loggedOutPage(practiceName: string): string {
  return page('Logged out', practiceName, html`<h1>You are logged out</h1><p class="muted">You can close this window.</p>`);
}
