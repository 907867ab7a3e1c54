import { useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { api } from '../api/client';
import type { Settings, SettingsChange } from '../api/types';
import { ActionMessage } from '../components/ActionMessage';
import { Card } from '../components/Card';
import { CertificateDetails, CopyableDetail, Detail, Details } from '../components/Details';
import { LoadError } from '../components/LoadError';
import { Loading } from '../components/Loading';
import { PageHeader } from '../components/PageHeader';
import { SwitchField } from '../components/SwitchField';
import { TextField } from '../components/TextField';
import { useFocusFirstInvalid } from '../components/useFocusFirstInvalid';
import { formatDuration, plural } from '../format';
import { pages } from '../routes';
import { siteAddressProblem } from '../validation';
import { useAction } from '../session/useAction';
import { useApiResource } from '../session/useApiResource';

/** The server's rules (server/src/admin/routes/settings.ts); the server still checks. */
const MIN_REFRESH_DAYS = 91;
const MAX_REFRESH_DAYS = 3650;
const MAX_PRACTICE_NAME = 200;

interface FieldErrors {
  siteAddress?: string;
  practiceName?: string;
  refreshTokenLifetimeDays?: string;
}

/** SiteAdmin → FHIR Setup: the site address, token lifetimes, the API switch and the TLS certificate. */
export function FhirSetupPage() {
  const [settings, reload] = useApiResource<Settings>('/admin/api/settings');
  const page = pages.fhirSetup;

  return (
    <>
      <PageHeader title={page.title} trail={page.trail} subtitle="The address apps use to reach this server, how long their access lasts, and the certificate it presents." />
      {settings.status === 'loading' && <Loading label="Loading the settings…" />}
      {settings.status === 'error' && <LoadError what="the settings" error={settings.error} onRetry={reload} />}
      {settings.status === 'ready' && <SettingsForm initial={settings.data} />}
    </>
  );
}

function lifetime(seconds: number): string {
  return seconds % 3600 === 0 ? plural(seconds / 3600, 'hour') : formatDuration(seconds);
}

function normaliseSiteAddress(value: string): string {
  return value.trim().replace(/\/$/, '');
}

function SettingsForm({ initial }: { initial: Settings }) {
  const [saved, setSaved] = useState(initial);
  const [siteAddress, setSiteAddress] = useState(initial.siteAddressConfigured === false ? '' : initial.siteAddress);
  const [practiceName, setPracticeName] = useState(initial.practiceName);
  const [refreshDays, setRefreshDays] = useState(String(initial.refreshTokenLifetimeDays));
  const [apiEnabled, setApiEnabled] = useState(initial.apiEnabled);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [reissued, setReissued] = useState(false);
  const save = useAction();
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstInvalid(formRef, fieldErrors);

  const notConfigured = saved.siteAddressConfigured === false;

  function validate(): FieldErrors {
    const days = Number(refreshDays);
    return {
      siteAddress: siteAddress.trim() === '' && notConfigured ? undefined : siteAddressProblem(siteAddress),
      practiceName:
        practiceName.trim() === ''
          ? 'Enter the practice name; patients see it on the log-in page.'
          : practiceName.trim().length > MAX_PRACTICE_NAME
            ? `Use at most ${MAX_PRACTICE_NAME} characters.`
            : undefined,
      refreshTokenLifetimeDays:
        refreshDays.trim() === '' || !Number.isInteger(days)
          ? 'Enter a whole number of days.'
          : days < MIN_REFRESH_DAYS
            ? `Refresh tokens must last more than 3 months: at least ${MIN_REFRESH_DAYS} days.`
            : days > MAX_REFRESH_DAYS
              ? `At most ${MAX_REFRESH_DAYS} days (10 years).`
              : undefined,
    };
  }

  /** Only what changed: saving an unchanged site address must not re-issue the certificate. */
  function changes(): SettingsChange {
    const change: SettingsChange = {};
    const address = normaliseSiteAddress(siteAddress);
    if (address !== '' && (notConfigured || address !== saved.siteAddress)) {
      change.siteAddress = address;
    }
    if (practiceName.trim() !== saved.practiceName) {
      change.practiceName = practiceName.trim();
    }
    if (Number(refreshDays) !== saved.refreshTokenLifetimeDays) {
      change.refreshTokenLifetimeDays = Number(refreshDays);
    }
    if (apiEnabled !== saved.apiEnabled) {
      change.apiEnabled = apiEnabled;
    }
    return change;
  }

  async function handleSubmit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    const errors = validate();
    setFieldErrors(errors);
    if (Object.values(errors).some((message) => message !== undefined)) {
      save.reset();
      return;
    }
    const change = changes();
    if (Object.keys(change).length === 0) {
      await save.run(async () => undefined, () => 'Nothing to save: the settings are unchanged.');
      return;
    }
    const result = await save.run(
      () => api.put<Settings>('/admin/api/settings', change),
      (next) =>
        change.siteAddress !== undefined
          ? `Settings saved. The server certificate was re-issued for ${new URL(next.siteAddress).hostname}.`
          : 'Settings saved.',
    );
    if (result !== undefined) {
      setSaved(result);
      setReissued(change.siteAddress !== undefined);
      setSiteAddress(result.siteAddressConfigured === false ? '' : result.siteAddress);
      setPracticeName(result.practiceName);
      setRefreshDays(String(result.refreshTokenLifetimeDays));
      setApiEnabled(result.apiEnabled);
    }
  }

  return (
    <div className="settings-layout">
      <form ref={formRef} className="settings-form" noValidate onSubmit={(event) => void handleSubmit(event)}>
        <Card title="Site" description="OAuth 2 and FHIR give apps addresses under the site address, so set it to the name other computers and phones use to reach this server.">
          <div className="form card-form">
            <TextField
              label="Site Address (required for OAuth2 and FHIR)"
              name="siteAddress"
              type="url"
              inputMode="url"
              autoComplete="off"
              spellCheck={false}
              placeholder={notConfigured ? saved.siteAddress : 'https://ehr.example-practice.com'}
              hint="https:// and the host name, with a port if it is not 443 — no path. Saving a new address re-issues the server certificate."
              required
              value={siteAddress}
              error={fieldErrors.siteAddress}
              onChange={(event) => setSiteAddress(event.target.value)}
            />
            {notConfigured && (
              <p className="field-note field-note-warning">
                Not set yet: the server uses <code>{saved.siteAddress}</code>, which only works on this computer.
              </p>
            )}
            <TextField
              label="Practice name"
              name="practiceName"
              autoComplete="organization"
              hint="Shown to patients and staff on the log-in and consent pages."
              required
              maxLength={MAX_PRACTICE_NAME}
              value={practiceName}
              error={fieldErrors.practiceName}
              onChange={(event) => setPracticeName(event.target.value)}
            />
          </div>
          <Details>
            <CopyableDetail term="FHIR base URL" value={saved.fhirBaseUrl} />
            <CopyableDetail term="Issuer" value={saved.issuer} />
          </Details>
        </Card>

        <Card title="Tokens" description="How long an app may use the access it was given.">
          <div className="form card-form">
            <Details>
              <Detail term="Access token lifetime">
                {lifetime(saved.accessTokenLifetimeSeconds)} <span className="muted">(fixed; backend services get 5 minutes)</span>
              </Detail>
            </Details>
            <TextField
              label="Refresh token lifetime (days)"
              name="refreshTokenLifetimeDays"
              type="number"
              inputMode="numeric"
              min={MIN_REFRESH_DAYS}
              max={MAX_REFRESH_DAYS}
              step={1}
              hint={`More than 3 months: at least ${MIN_REFRESH_DAYS} days. Apps that asked to stay connected must be re-authorized after this.`}
              required
              value={refreshDays}
              error={fieldErrors.refreshTokenLifetimeDays}
              onChange={(event) => setRefreshDays(event.target.value)}
            />
          </div>
        </Card>

        <Card title="Third-party API">
          <div className="form card-form">
            <SwitchField
              label="API enabled"
              hint="When off, apps cannot log in and the FHIR API refuses every request. The admin pages keep working."
              checked={apiEnabled}
              onChange={setApiEnabled}
            />
          </div>
        </Card>

        <div className="form-footer">
          <ActionMessage state={save.state} failure="Could not save the settings." />
          <button type="submit" className="button button-primary" disabled={save.working}>
            {save.working ? 'Saving…' : 'Save settings'}
          </button>
        </div>
      </form>

      <aside className="settings-aside" aria-label="Certificate">
        <Card
          title="TLS certificate"
          description={
            reissued
              ? 'Re-issued just now for the new site address, by the local CA.'
              : 'The certificate this server presents, issued by its local CA. It lists every name the server answers to.'
          }
        >
          <CertificateDetails tls={saved.tls} stacked />
        </Card>
        <Card title="CA certificate" description="Install it on other computers in the office after checking the fingerprint.">
          <Details stacked>
            <CopyableDetail term="CA fingerprint (SHA-256)" value={saved.caFingerprint256} copyLabel="CA fingerprint" fingerprint />
          </Details>
          <p className="card-actions">
            <a className="button button-secondary" href="/ca.crt" download="inpracsys-ca.crt">
              Download CA certificate
            </a>
          </p>
        </Card>
      </aside>
    </div>
  );
}
