import { html, page } from './html.js';

export interface ConsentPageModel {
  practiceName: string;
  appName: string;
  action: string;
  csrf: string;
  userName: string;
  patientName?: string;
  scopes: { scope: string; label: string }[];
}

/**
 * DESIGN §9/§10: one ticked checkbox per requested scope (`name="scope"`), `openid` cannot be
 * unticked (a disabled box plus a hidden field, since disabled fields are not submitted),
 * Allow / Deny.
 */
export function consentPage(model: ConsentPageModel): string {
  const rows = model.scopes.map(({ scope, label }, i) =>
    scope === 'openid'
      ? html`<label class="scope"><input type="checkbox" checked disabled><input type="hidden" name="scope" value="openid"><span>${label}</span></label>`
      : html`<label class="scope" for="scope-${i}"><input id="scope-${i}" type="checkbox" name="scope" value="${scope}" checked><span>${label}</span></label>`,
  );
  return page('Allow access', model.practiceName, html`<h1>${model.appName} wants access</h1>
<p class="muted">Signed in as ${model.userName}${model.patientName ? html` · patient ${model.patientName}` : ''}. Untick anything you do not want to share.</p>
<form method="post" action="${model.action}">
<input type="hidden" name="csrf" value="${model.csrf}">
<fieldset><legend>${model.appName} may:</legend>
${rows}
</fieldset>
<div class="actions">
<button type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="deny" class="secondary">Deny</button>
</div>
</form>`);
}
