// Client-side checks that mirror the server's rules, so people see problems before they submit.
// The server checks again; these only give earlier, friendlier messages.

/** Checks a site address as the server does: an https URL with nothing after the host and port. */
export function siteAddressProblem(value: string): string | undefined {
  const text = value.trim();
  if (text === '') {
    return 'Enter the site address, for example https://ehr.example-practice.com.';
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'Enter a full address starting with https://, for example https://ehr.example-practice.com.';
  }
  if (url.protocol !== 'https:') {
    return 'The site address must start with https://.';
  }
  if (url.username !== '' || url.password !== '') {
    return 'The site address cannot contain a user name or password.';
  }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search !== '' || url.hash !== '' || /[?#]/.test(text)) {
    return 'Leave out any path: only https://, the host name and an optional port (no /fhir, no ?…).';
  }
  return undefined;
}

/** Mirrors the server's redirect URI rule: https, http on a loopback host, or a reverse-domain private scheme. */
export function redirectUriProblem(uri: string): string | undefined {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return `${uri} is not a full address.`;
  }
  if (url.hash !== '' || uri.includes('#')) {
    return `${uri}: a redirect URI cannot have a #fragment.`;
  }
  if (url.protocol === 'https:') {
    return undefined;
  }
  if (url.protocol === 'http:') {
    return ['127.0.0.1', '[::1]', 'localhost'].includes(url.hostname) ? undefined : `${uri}: plain http is only allowed on 127.0.0.1 or localhost.`;
  }
  return /^[a-z][a-z0-9+-]*(\.[a-z0-9+-]+)+$/.test(url.protocol.slice(0, -1))
    ? undefined
    : `${uri}: use https://, http://127.0.0.1, or a reverse-domain app scheme such as com.example.app:/callback.`;
}
