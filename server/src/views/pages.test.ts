import { describe, expect, it } from 'vitest';
import { consentPage } from './consent-page.js';
import { escapeHtml, html } from './html.js';
import { loginPage } from './login-page.js';

const hostile = `<script>alert("x")</script>' onmouseover=alert(1) \``;

describe('escaping', () => {
  it('escapes markup, both quote kinds and backticks', () => {
    expect(escapeHtml(hostile)).not.toMatch(/[<>"'`]/);
    expect(html`<p title="${hostile}">${hostile}</p>`.value).toBe(`<p title="${escapeHtml(hostile)}">${escapeHtml(hostile)}</p>`);
  });

  it('an app name or practice name cannot inject markup into the login page', () => {
    const page = loginPage({ practiceName: hostile, appName: hostile, action: '/oauth2/interaction/x/login', csrf: 'c"sr', kind: 'patient', username: hostile });
    expect(page).not.toContain('<script>');
    expect(page).not.toContain('value="c"sr"');
    expect(page).toContain('<label for="username">Username</label>');
    expect(page).toContain('<label for="password">Password</label>');
  });
});

describe('consent page', () => {
  it('has a ticked scope checkbox per scope, openid fixed, Allow and Deny', () => {
    const page = consentPage({
      practiceName: 'Practice',
      appName: 'App',
      action: '/a',
      csrf: 'c',
      userName: 'pat',
      scopes: [
        { scope: 'openid', label: 'Confirm who you are' },
        { scope: 'patient/Observation.rs?category=a|b', label: 'Read & search' },
      ],
    });
    expect(page).toContain('<input type="checkbox" checked disabled><input type="hidden" name="scope" value="openid">');
    expect(page).toContain('type="checkbox" name="scope" value="patient/Observation.rs?category=a|b" checked');
    expect(page).toContain('Read &#38; search');
    expect(page).toContain('<button type="submit" name="decision" value="allow">Allow</button>');
    expect(page).toContain('value="deny" class="secondary">Deny</button>');
    expect(page).not.toMatch(/<script|style=/);
  });
});
