import { html, page } from './html.js';

export interface PickerPageModel {
  practiceName: string;
  appName: string;
  action: string;
  searchAction: string;
  csrf: string;
  query: string;
  patients: { id: string; name: string; birthDate?: string }[];
}

/** DESIGN §9: a searchable list of patients with a Select button each. */
export function pickerPage(model: PickerPageModel): string {
  const items = model.patients.map(
    (p) => html`<li><span>${p.name}${p.birthDate ? html` <span class="muted">(${p.birthDate})</span>` : ''}</span>
<form method="post" action="${model.action}"><input type="hidden" name="csrf" value="${model.csrf}"><input type="hidden" name="patient" value="${p.id}"><button type="submit">Select</button></form></li>`,
  );
  return page('Choose a patient', model.practiceName, html`<h1>Choose the patient for ${model.appName}</h1>
<form method="get" action="${model.searchAction}">
<label for="q">Search patients</label>
<input id="q" name="q" type="search" value="${model.query}">
<div class="actions"><button type="submit" class="secondary">Search</button></div>
</form>
${model.patients.length ? html`<ul class="list">${items}</ul>` : html`<p class="muted">No patients found.</p>`}`);
}
