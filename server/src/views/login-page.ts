import { html, page } from './html.js';

export interface LoginPageModel {
  practiceName: string;
  appName: string;
  action: string;
  csrf: string;
  kind: 'patient' | 'staff';
  error?: string;
  username?: string;
}

/** DESIGN §9: Username, Password, Log in; the app's and the practice's names shown. */
export function loginPage(model: LoginPageModel): string {
  const who = model.kind === 'patient' ? 'Use the API username and password your practice gave you.' : 'Log in with your staff account.';
  return page('Log in', model.practiceName, html`<h1>Log in to continue to ${model.appName}</h1>
<p class="muted">${who}</p>
${model.error ? html`<p class="error" role="alert">${model.error}</p>` : ''}
<form method="post" action="${model.action}">
<input type="hidden" name="csrf" value="${model.csrf}">
<label for="username">Username</label>
<input id="username" name="username" type="text" autocomplete="username" required value="${model.username ?? ''}">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<div class="actions"><button type="submit">Log in</button></div>
</form>`);
}
