import { useRef, useState } from 'react';
import type { ChangeEvent, FormEvent } from 'react';
import { api, apiUpload } from '../api/client';
import type {
  FhirSetupSettings,
  IgInstallReport,
  InstalledIgPackage,
  ListResponse,
  PracticeCertificateImport,
  SettingsChange,
  TlsCertificate,
} from '../api/types';
import { ActionMessage } from '../components/ActionMessage';
import { Alert } from '../components/Alert';
import { Card } from '../components/Card';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { CertificateDetails, CopyableDetail, Detail, Details } from '../components/Details';
import { EmptyState } from '../components/EmptyState';
import { LabelledField } from '../components/LabelledField';
import { LoadError } from '../components/LoadError';
import { Loading } from '../components/Loading';
import { PageHeader } from '../components/PageHeader';
import { SwitchField } from '../components/SwitchField';
import { TextAreaField } from '../components/TextAreaField';
import { TextField } from '../components/TextField';
import { useFocusFirstInvalid } from '../components/useFocusFirstInvalid';
import { formatDate, formatDuration, plural } from '../format';
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

/**
 * SiteAdmin → FHIR Setup: the site address, token lifetimes, the API switch, the TLS certificate
 * (the local CA's or an imported practice certificate) and the installed implementation guides.
 */
export function FhirSetupPage() {
  const [settings, reload] = useApiResource<FhirSetupSettings>('/admin/api/settings');
  const page = pages.fhirSetup;

  return (
    <>
      <PageHeader title={page.title} trail={page.trail} subtitle="The address apps use to reach this server, how long their access lasts, and the certificate it presents." />
      {settings.status === 'loading' && <Loading label="Loading the settings…" />}
      {settings.status === 'error' && <LoadError what="the settings" error={settings.error} onRetry={reload} />}
      {settings.status === 'ready' && <FhirSetup initial={settings.data} />}
    </>
  );
}

/** The certificate is shared: saving a site address, importing and reverting all change it. */
function FhirSetup({ initial }: { initial: FhirSetupSettings }) {
  const [tls, setTls] = useState(initial.tls);
  return (
    <div className="stack">
      <SettingsForm initial={initial} tls={tls} onTlsChange={setTls} />
      <PracticeCertificateCard tls={tls} onServed={setTls} />
      <ImplementationGuidesCard />
    </div>
  );
}

function lifetime(seconds: number): string {
  return seconds % 3600 === 0 ? plural(seconds / 3600, 'hour') : formatDuration(seconds);
}

function normaliseSiteAddress(value: string): string {
  return value.trim().replace(/\/$/, '');
}

interface SettingsFormProps {
  initial: FhirSetupSettings;
  tls: TlsCertificate;
  onTlsChange: (tls: TlsCertificate) => void;
}

function SettingsForm({ initial, tls, onTlsChange }: SettingsFormProps) {
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
      () => api.put<FhirSetupSettings>('/admin/api/settings', change),
      (next) =>
        change.siteAddress !== undefined && next.tls.source === 'local-ca'
          ? `Settings saved. The server certificate was re-issued for ${new URL(next.siteAddress).hostname}.`
          : 'Settings saved.',
    );
    if (result !== undefined) {
      setSaved(result);
      onTlsChange(result.tls);
      setReissued(change.siteAddress !== undefined && result.tls.source === 'local-ca');
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
        <ServedCertificateCard tls={tls} reissued={reissued && tls.source === 'local-ca'} />
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

const sourceLabels: Record<TlsCertificate['source'], string> = {
  'local-ca': 'Local CA',
  practice: 'Practice certificate',
};

/** The certificate the server presents now, and where it comes from. */
function ServedCertificateCard({ tls, reissued }: { tls: TlsCertificate; reissued: boolean }) {
  const description =
    tls.source === 'practice'
      ? 'The practice certificate imported below. The server presents it instead of the local CA’s certificate.'
      : reissued
        ? 'Re-issued just now for the new site address, by the local CA.'
        : 'The certificate this server presents, issued by its local CA. It lists every name the server answers to.';
  return (
    <Card title="TLS certificate" description={description}>
      {!tls.coversSiteAddress && (
        <Alert tone="warning" title="The certificate does not cover the site address.">
          Apps and browsers that use the site address will refuse the connection. Import a certificate for that name, or return to the local CA.
        </Alert>
      )}
      <Details stacked>
        <Detail term="Source">{sourceLabels[tls.source]}</Detail>
        <Detail term="Subject">
          <code className="value">{tls.subject}</code>
        </Detail>
        <Detail term="Issuer">
          <code className="value">{tls.issuer}</code>
        </Detail>
      </Details>
      <CertificateDetails tls={tls} stacked />
    </Card>
  );
}

interface CertificateFieldErrors {
  certificatePem?: string;
  privateKeyPem?: string;
}

const PEM_CERTIFICATE = '-----BEGIN CERTIFICATE-----';

/**
 * Import a practice certificate and key, or go back to the local CA. The key lives only in this
 * form's state while it is being sent: never shown back by the server, never put in storage,
 * and cleared once the import worked.
 */
function PracticeCertificateCard({ tls, onServed }: { tls: TlsCertificate; onServed: (tls: TlsCertificate) => void }) {
  const [certificatePem, setCertificatePem] = useState('');
  const [privateKeyPem, setPrivateKeyPem] = useState('');
  const [fieldErrors, setFieldErrors] = useState<CertificateFieldErrors>({});
  const [confirming, setConfirming] = useState<'import' | 'revert' | undefined>(undefined);
  const action = useAction();
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstInvalid(formRef, fieldErrors);

  const practiceChosen = tls.source === 'practice' || tls.practiceProblem !== undefined;

  function validate(): CertificateFieldErrors {
    return {
      certificatePem: !certificatePem.includes(PEM_CERTIFICATE)
        ? `Paste the certificate in PEM form (it starts with ${PEM_CERTIFICATE}) or choose its file.`
        : undefined,
      privateKeyPem: !/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(privateKeyPem)
        ? 'Paste the private key in PEM form (it starts with -----BEGIN PRIVATE KEY-----) or choose its file.'
        : undefined,
    };
  }

  function handleSubmit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    const errors = validate();
    setFieldErrors(errors);
    action.reset();
    if (Object.values(errors).every((message) => message === undefined)) {
      setConfirming('import');
    }
  }

  async function importCertificate(): Promise<void> {
    setConfirming(undefined);
    const body: PracticeCertificateImport = { certificatePem, privateKeyPem };
    const served = await action.run(
      () => api.put<TlsCertificate>('/admin/api/tls/practice-certificate', body),
      (next) => `The practice certificate is served now. It is valid until ${formatDate(next.notAfter)}.`,
    );
    if (served !== undefined) {
      setCertificatePem('');
      setPrivateKeyPem('');
      onServed(served);
    }
  }

  async function returnToLocalCa(): Promise<void> {
    setConfirming(undefined);
    const served = await action.run(
      () => api.delete<TlsCertificate>('/admin/api/tls/practice-certificate'),
      () => 'The server presents its local CA’s certificate again; the imported certificate and key were deleted.',
    );
    if (served !== undefined) {
      onServed(served);
    }
  }

  return (
    <Card
      title="Practice certificate"
      description="Serve a certificate from your IT provider or a public CA instead of the local CA’s, so computers that already trust that CA need no extra step."
    >
      {tls.practiceProblem !== undefined && (
        <Alert tone="warning" title="The imported practice certificate is not served.">
          {tls.practiceProblem}. The server presents the local CA’s certificate instead; import the certificate again or return to the local CA.
        </Alert>
      )}
      <form ref={formRef} className="form card-form" noValidate onSubmit={handleSubmit}>
        <TextAreaField
          label="Certificate (PEM)"
          name="certificatePem"
          mono
          rows={6}
          spellCheck={false}
          autoComplete="off"
          hint="The server certificate first, then any intermediate certificates."
          value={certificatePem}
          error={fieldErrors.certificatePem}
          onChange={(event) => setCertificatePem(event.target.value)}
        />
        <PemFileField label="Certificate file" accept=".pem,.crt,.cer,.txt" onRead={setCertificatePem} />
        <TextAreaField
          label="Private key (PEM)"
          name="privateKeyPem"
          mono
          rows={6}
          spellCheck={false}
          autoComplete="off"
          hint="Unencrypted. It goes to this server only, is stored readable by the server alone, and is never shown again."
          value={privateKeyPem}
          error={fieldErrors.privateKeyPem}
          onChange={(event) => setPrivateKeyPem(event.target.value)}
        />
        <PemFileField label="Private key file" accept=".pem,.key,.txt" onRead={setPrivateKeyPem} />
        <div className="form-footer">
          <ActionMessage state={action.state} failure="The certificate was not changed." />
          <div className="button-row">
            <button type="submit" className="button button-primary" disabled={action.working}>
              {action.working ? 'Working…' : 'Import certificate'}
            </button>
            {practiceChosen && (
              <button type="button" className="button button-danger-outline" disabled={action.working} onClick={() => setConfirming('revert')}>
                Return to the local CA
              </button>
            )}
          </div>
        </div>
      </form>
      {confirming === 'import' && (
        <ConfirmDialog title="Serve the practice certificate?" confirmLabel="Import and serve" onConfirm={() => void importCertificate()} onCancel={() => setConfirming(undefined)}>
          <p>
            From now on the server presents this certificate to every app and browser, also after a restart. Computers that do not trust its issuer will refuse the
            connection.
          </p>
        </ConfirmDialog>
      )}
      {confirming === 'revert' && (
        <ConfirmDialog title="Return to the local CA?" confirmLabel="Return to the local CA" danger onConfirm={() => void returnToLocalCa()} onCancel={() => setConfirming(undefined)}>
          <p>The server presents its local CA’s certificate again, and the imported certificate and private key are deleted from the server.</p>
        </ConfirmDialog>
      )}
    </Card>
  );
}

/** A file chooser that reads a small text file in the browser and hands over its text. */
function PemFileField({ label, accept, onRead }: { label: string; accept: string; onRead: (text: string) => void }) {
  async function handleChange(event: ChangeEvent<HTMLInputElement>): Promise<void> {
    const input = event.target;
    const file = input.files?.[0];
    if (file !== undefined) {
      onRead(await file.text());
    }
    input.value = ''; // choosing the same file again reads it again
  }
  return (
    <LabelledField label={label}>
      {(control) => <input {...control} className="input" type="file" accept={accept} onChange={(event) => void handleChange(event)} />}
    </LabelledField>
  );
}

const packageColumns: { type: string; heading: string }[] = [
  { type: 'StructureDefinition', heading: 'Profiles' },
  { type: 'SearchParameter', heading: 'Search parameters' },
  { type: 'ValueSet', heading: 'Value sets' },
  { type: 'CodeSystem', heading: 'Code systems' },
];

function installSummary(report: IgInstallReport): string {
  const counts = packageColumns.map(({ type, heading }) => `${report.counts[type] ?? 0} ${heading.toLowerCase()}`).join(', ');
  const warnings = report.warnings.length > 0 ? ` ${plural(report.warnings.length, 'profile note')} in the server log.` : '';
  return `Installed ${report.packageName ?? 'the package'}: ${counts}. Resources that name these profiles are checked against them from now on.${warnings}`;
}

/** Installed FHIR packages, and installing one from a .tgz file. */
function ImplementationGuidesCard() {
  const [packages, reload] = useApiResource<ListResponse<InstalledIgPackage>>('/admin/api/ig/packages');
  const [file, setFile] = useState<File | undefined>(undefined);
  const [fileError, setFileError] = useState<string | undefined>(undefined);
  const install = useAction();
  const fileRef = useRef<HTMLInputElement>(null);

  async function handleSubmit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    if (file === undefined) {
      setFileError('Choose a FHIR package file (.tgz) first.');
      fileRef.current?.focus();
      return;
    }
    setFileError(undefined);
    const report = await install.run(() => apiUpload<IgInstallReport>('/admin/api/ig/packages', file, 'application/gzip'), installSummary);
    if (report !== undefined) {
      setFile(undefined);
      if (fileRef.current !== null) {
        fileRef.current.value = '';
      }
      reload();
    }
  }

  return (
    <Card
      title="Implementation Guides"
      description="Base FHIR R4 validation is always on. Install an implementation guide’s package to check resources that name its profiles, such as US Core."
    >
      <div className="card-section">
        {packages.status === 'loading' && <Loading label="Loading the installed guides…" />}
        {packages.status === 'error' && <LoadError what="the installed guides" error={packages.error} onRetry={reload} />}
        {packages.status === 'ready' && packages.data.items.length === 0 && (
          <EmptyState title="No implementation guides installed">Only base FHIR R4 rules are checked.</EmptyState>
        )}
        {packages.status === 'ready' && packages.data.items.length > 0 && (
          <div className="table-wrap">
            <table className="table table-compact" aria-label="Installed implementation guides">
              <thead>
                <tr>
                  <th scope="col">Package</th>
                  <th scope="col">Version</th>
                  {packageColumns.map(({ type, heading }) => (
                    <th key={type} scope="col">
                      {heading}
                    </th>
                  ))}
                  <th scope="col">Installed</th>
                </tr>
              </thead>
              <tbody>
                {packages.data.items.map((item) => (
                  <tr key={`${item.name ?? ''}#${item.version ?? ''}`}>
                    <td>{item.name === null ? <span className="muted">From a folder</span> : <code>{item.name}</code>}</td>
                    <td>{item.version ?? <span className="muted">—</span>}</td>
                    {packageColumns.map(({ type }) => (
                      <td key={type}>{item.counts[type] ?? 0}</td>
                    ))}
                    <td className="cell-date">{formatDate(item.installedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
      <form className="form card-section card-section-divided" noValidate onSubmit={(event) => void handleSubmit(event)}>
        <LabelledField label="FHIR package (.tgz)" hint="The package file as the guide publishes it (package.tgz), up to 50 MB." error={fileError}>
          {(control) => (
            <input
              {...control}
              ref={fileRef}
              className="input"
              type="file"
              accept=".tgz,.tar.gz,application/gzip"
              disabled={install.working}
              onChange={(event) => {
                setFile(event.target.files?.[0]);
                setFileError(undefined);
                install.reset();
              }}
            />
          )}
        </LabelledField>
        <div className="form-footer">
          {install.working && <Loading label="Installing the package… generating profile snapshots can take a minute." />}
          <ActionMessage state={install.state} failure="The package was not installed." />
          <button type="submit" className="button button-primary" disabled={install.working}>
            {install.working ? 'Installing…' : 'Install'}
          </button>
        </div>
      </form>
    </Card>
  );
}
