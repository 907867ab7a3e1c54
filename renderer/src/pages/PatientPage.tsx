import { useState } from 'react';
import { api } from '../api/client';
import { genderLabel, launchClientsPath, patientPath, revokePatientApp, setPatientOptOut } from '../api/patients';
import type { LaunchClientList } from '../api/patients';
import type { PatientAuthorizedApp, PatientContactPoint, PatientCredentials, PatientDetail } from '../api/types';
import { ActionMessage } from '../components/ActionMessage';
import { BackLink } from '../components/BackLink';
import { Badge } from '../components/Badge';
import { Card } from '../components/Card';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { CopyableDetail, Detail, Details } from '../components/Details';
import { EmptyState } from '../components/EmptyState';
import { LoadError } from '../components/LoadError';
import { Loading } from '../components/Loading';
import { PageHeader } from '../components/PageHeader';
import { SelectField } from '../components/SelectField';
import { SwitchField } from '../components/SwitchField';
import { formatDateTime, formatFhirDate, plural } from '../format';
import { Link } from '../router/Link';
import { pages, subPath } from '../routes';
import { useAction } from '../session/useAction';
import { useApiResource } from '../session/useApiResource';

/** A patient's demographics page, with the API access panel (credentials, opt-out, authorized apps) and EHR launch. */
export function PatientPage({ patientId, isAdmin }: { patientId: string; isAdmin: boolean }) {
  const page = pages.patients;
  const [resource, reload] = useApiResource<PatientDetail>(patientPath(patientId));
  // Actions answer the patient as it now is; keeping that here (not reloading) keeps their messages on screen.
  const [changed, setChanged] = useState<PatientDetail>();
  const patient = changed ?? (resource.status === 'ready' ? resource.data : undefined);

  return (
    <>
      <BackLink to={page.path}>All patients</BackLink>
      <PageHeader
        title={patient?.name ?? 'Patient'}
        trail={[page.title]}
        subtitle={
          patient === undefined ? undefined : (
            <>
              {patient.birthDate !== null ? `Born ${formatFhirDate(patient.birthDate)}` : 'Birth date unknown'}
              {patient.gender !== null && ` · ${genderLabel(patient.gender)}`} · <code>Patient/{patient.id}</code>
            </>
          )
        }
      />
      {patient === undefined && resource.status === 'loading' && <Loading label="Loading the patient…" />}
      {patient === undefined && resource.status === 'error' && <LoadError what="the patient" error={resource.error} onRetry={reload} />}
      {patient !== undefined && (
        <div className="patient-layout">
          <Demographics patient={patient} />
          <div className="stack">
            <ApiAccessCard patient={patient} isAdmin={isAdmin} onChanged={setChanged} />
            <LaunchCard patient={patient} />
          </div>
        </div>
      )}
    </>
  );
}

function None() {
  return <span className="muted">None</span>;
}

function usageNote(use: string | null): string {
  return use === null ? '' : ` (${use})`;
}

function ContactPoints({ points }: { points: PatientContactPoint[] }) {
  return (
    <ul className="plain-list">
      {points.map((point, index) => (
        <li key={index}>
          <span className="muted">{point.system ?? 'contact'}: </span>
          {point.value}
          <span className="muted">{usageNote(point.use)}</span>
        </li>
      ))}
    </ul>
  );
}

function Demographics({ patient }: { patient: PatientDetail }) {
  const otherNames = patient.names.filter((name) => name.text !== patient.name);
  return (
    <Card title="Demographics">
      <Details>
        <Detail term="Name">{patient.name}</Detail>
        {otherNames.length > 0 && (
          <Detail term="Other names">
            <ul className="plain-list">
              {otherNames.map((name, index) => (
                <li key={index}>
                  {name.text}
                  <span className="muted">{usageNote(name.use)}</span>
                </li>
              ))}
            </ul>
          </Detail>
        )}
        <Detail term="Birth date">{patient.birthDate !== null ? formatFhirDate(patient.birthDate) : '—'}</Detail>
        <Detail term="Gender">{genderLabel(patient.gender ?? undefined)}</Detail>
        {patient.deceased !== null && (
          <Detail term="Deceased">
            {patient.deceased ? (patient.deceasedDateTime !== null ? `Yes, ${formatFhirDate(patient.deceasedDateTime.slice(0, 10))}` : 'Yes') : 'No'}
          </Detail>
        )}
        {patient.race !== null && <Detail term="Race">{patient.race}</Detail>}
        {patient.ethnicity !== null && <Detail term="Ethnicity">{patient.ethnicity}</Detail>}
        <Detail term="Identifiers">
          {patient.identifiers.length === 0 ? (
            <None />
          ) : (
            <ul className="plain-list">
              {patient.identifiers.map((identifier, index) => (
                <li key={index}>
                  <span className="muted" title={identifier.system ?? undefined}>
                    {identifier.type}:{' '}
                  </span>
                  <code>{identifier.value ?? '—'}</code>
                </li>
              ))}
            </ul>
          )}
        </Detail>
        <Detail term="Address">
          {patient.addresses.length === 0 ? (
            <None />
          ) : (
            <ul className="plain-list">
              {patient.addresses.map((address, index) => (
                <li key={index}>
                  {address.text}
                  <span className="muted">{usageNote(address.use)}</span>
                </li>
              ))}
            </ul>
          )}
        </Detail>
        <Detail term="Contact">{patient.telecom.length === 0 ? <None /> : <ContactPoints points={patient.telecom} />}</Detail>
        {patient.contacts.length > 0 && (
          <Detail term="Emergency contacts">
            <ul className="plain-list">
              {patient.contacts.map((contact, index) => (
                <li key={index}>
                  {contact.name ?? 'Unnamed contact'}
                  {contact.relationship !== null && <span className="muted"> ({contact.relationship})</span>}
                  {contact.telecom.length > 0 && <ContactPoints points={contact.telecom} />}
                </li>
              ))}
            </ul>
          </Detail>
        )}
      </Details>
    </Card>
  );
}

interface PatientChange {
  patient: PatientDetail;
  onChanged: (patient: PatientDetail) => void;
}

function ApiAccessCard({ patient, isAdmin, onChanged }: PatientChange & { isAdmin: boolean }) {
  const [credentials, setCredentials] = useState<PatientCredentials>();
  const [confirmReset, setConfirmReset] = useState(false);
  const [confirmOptOut, setConfirmOptOut] = useState(false);
  const generate = useAction();
  const optOut = useAction();
  const { hasCredentials, username, optedOut } = patient.apiAccess;

  async function issue(): Promise<void> {
    setConfirmReset(false);
    const result = await generate.run(
      () => api.post<PatientCredentials>(`${patientPath(patient.id)}/api-credentials`, {}),
      () => (hasCredentials ? 'New credentials generated. The old password no longer works.' : 'API credentials generated.'),
    );
    if (result !== undefined) {
      setCredentials(result);
      onChanged({ ...patient, apiAccess: { ...patient.apiAccess, hasCredentials: true, username: result.username } });
    }
  }

  async function setOptOut(value: boolean): Promise<void> {
    setConfirmOptOut(false);
    const result = await optOut.run(
      () => setPatientOptOut(patient.id, value),
      () =>
        value
          ? 'Opted out: apps can no longer get this patient’s data, and the tokens they hold stop working.'
          : 'Opted back in: the patient can authorize apps again.',
    );
    if (result !== undefined) {
      onChanged(result);
    }
  }

  return (
    <Card title="API access" description="Patients log in to the apps they choose with these credentials.">
      <div className="card-section">
        <Details>
          <Detail term="API username">
            {username !== null ? <code>{username}</code> : hasCredentials ? 'Issued' : <span className="muted">No credentials yet</span>}
          </Detail>
          <Detail term="Third-party access">{optedOut ? <Badge tone="danger">Opted out</Badge> : <Badge tone="success">Allowed</Badge>}</Detail>
        </Details>
        <ActionMessage state={generate.state} failure="Could not generate the credentials." />
        {credentials !== undefined && <CredentialsSlip patient={patient} credentials={credentials} />}
        <div className="button-row">
          <button
            type="button"
            className="button button-primary"
            disabled={generate.working || optedOut}
            onClick={() => (hasCredentials ? setConfirmReset(true) : void issue())}
          >
            {generate.working ? 'Generating…' : hasCredentials ? 'Reset API Credentials' : 'Generate API Credentials'}
          </button>
        </div>
        {optedOut && <p className="field-hint">Turn the opt-out off before giving this patient credentials.</p>}
      </div>
      <div className="card-section card-section-divided">
        <SwitchField
          label="Opt out of third-party API access"
          hint="When on, no app can get this patient’s data: logging in is refused and the tokens apps hold stop working."
          checked={optedOut}
          disabled={optOut.working}
          onChange={(value) => (value ? setConfirmOptOut(true) : void setOptOut(false))}
        />
        <ActionMessage state={optOut.state} failure="Could not change the opt-out." />
      </div>
      <AuthorizedApps patient={patient} isAdmin={isAdmin} onChanged={onChanged} />
      {confirmReset && (
        <ConfirmDialog title="Reset the API credentials?" confirmLabel="Reset credentials" danger onConfirm={() => void issue()} onCancel={() => setConfirmReset(false)}>
          <p>A new password is generated and the old one stops working. Apps the patient already authorized keep their access.</p>
        </ConfirmDialog>
      )}
      {confirmOptOut && (
        <ConfirmDialog
          title={`Opt ${patient.name} out of third-party API access?`}
          confirmLabel="Opt out"
          danger
          onConfirm={() => void setOptOut(true)}
          onCancel={() => setConfirmOptOut(false)}
        >
          <p>Every app loses access to this patient’s data at once, and the patient cannot authorize apps until you turn this off again.</p>
        </ConfirmDialog>
      )}
    </Card>
  );
}

/** The one-time display of the credentials, with copy and print. Only this block is printed. */
function CredentialsSlip({ patient, credentials }: { patient: PatientDetail; credentials: PatientCredentials }) {
  return (
    <div className="credentials printable" aria-label="New API credentials">
      <p className="credentials-title">API credentials for {patient.name}</p>
      <Details>
        <CopyableDetail term="Username" value={credentials.username} id="patient-api-username" />
        <CopyableDetail term="Password" value={credentials.password} id="patient-api-password" />
      </Details>
      <p className="credentials-note">
        Shown only this once: give them to the patient now. The patient logs in with them when an app asks to connect to this practice.
      </p>
      <div className="button-row no-print">
        <button type="button" className="button button-secondary" onClick={() => window.print()}>
          Print
        </button>
      </div>
    </div>
  );
}

/** The apps this patient authorized, each with what it was granted and a Revoke button. */
function AuthorizedApps({ patient, isAdmin, onChanged }: PatientChange & { isAdmin: boolean }) {
  const apps = patient.apiAccess.authorizedApps;
  const [revoking, setRevoking] = useState<PatientAuthorizedApp>();
  const action = useAction();

  async function revoke(app: PatientAuthorizedApp): Promise<void> {
    setRevoking(undefined);
    const result = await action.run(
      () => revokePatientApp(patient.id, app.clientId),
      () => `Revoked ${app.clientName}’s access to this patient. Its tokens no longer work.`,
    );
    if (result !== undefined) {
      onChanged(result);
    }
  }

  return (
    <div className="card-section card-section-divided">
      <h3 className="section-title" id="patient-apps-title">
        Apps this patient authorized
      </h3>
      <ActionMessage state={action.state} failure="Could not revoke the app." />
      {apps.length === 0 ? (
        <EmptyState title="No apps hold this patient’s authorization." />
      ) : (
        <ul className="row-list" aria-labelledby="patient-apps-title">
          {apps.map((app) => (
            <li key={app.clientId} className="row-list-item">
              <div className="plain-list">
                <span>
                  {isAdmin ? <Link to={subPath(pages.apiClients.path, app.clientId)}>{app.clientName}</Link> : <strong>{app.clientName}</strong>}
                  {!app.clientEnabled && (
                    <>
                      {' '}
                      <Badge tone="warning">App disabled</Badge>
                    </>
                  )}
                </span>
                <ul className="chips chips-small" aria-label={`Scopes granted to ${app.clientName}`}>
                  {app.scopes.map((scope) => (
                    <li key={scope} className="chip">
                      {scope}
                    </li>
                  ))}
                </ul>
                <span className="muted">
                  Authorized {formatDateTime(app.firstAuthorizedAt)}
                  {app.lastAuthorizedAt !== app.firstAuthorizedAt && `, last ${formatDateTime(app.lastAuthorizedAt)}`} · {plural(app.activeTokens, 'active token')}
                </span>
              </div>
              <button
                type="button"
                className="button button-small button-danger-outline"
                aria-label={`Revoke ${app.clientName}`}
                disabled={action.working}
                onClick={() => setRevoking(app)}
              >
                Revoke
              </button>
            </li>
          ))}
        </ul>
      )}
      {revoking !== undefined && (
        <ConfirmDialog title={`Revoke ${revoking.clientName}?`} confirmLabel="Revoke" danger onConfirm={() => void revoke(revoking)} onCancel={() => setRevoking(undefined)}>
          <p>The app loses access to this patient’s data at once and every token it holds stops working. The patient may authorize it again later.</p>
        </ConfirmDialog>
      )}
    </div>
  );
}

/** EHR launch: open an enabled EHR-launch app with this patient selected (clinicians and administrators). */
function LaunchCard({ patient }: { patient: PatientDetail }) {
  const [resource, reload] = useApiResource<LaunchClientList>(launchClientsPath);
  const clients = resource.status === 'ready' ? resource.data.items : [];
  const [chosen, setChosen] = useState('');
  const [url, setUrl] = useState<string>();
  const launch = useAction();
  const clientId = clients.some((client) => client.clientId === chosen) ? chosen : (clients[0]?.clientId ?? '');

  async function start(): Promise<void> {
    // Open the window first, while the click still counts as the user's: browsers block later pop-ups.
    const opened = window.open('about:blank', '_blank');
    const result = await launch.run(
      () => api.post<{ url: string }>('/admin/api/launch', { clientId, patientId: patient.id }),
      () => 'The app was opened in a new window for this patient.',
    );
    if (result === undefined) {
      opened?.close();
      return;
    }
    setUrl(result.url);
    if (opened !== null) {
      opened.opener = null;
      opened.location.href = result.url;
    } else {
      // No blank window (a pop-up blocker, or the desktop app, which hands https links to the
      // system browser): ask again with the real address; the link below is the fallback.
      window.open(result.url, '_blank', 'noopener,noreferrer');
    }
  }

  return (
    <Card title="Launch app" description="Open an EHR-launch app with this patient already selected.">
      <div className="card-section">
        {resource.status === 'loading' && <Loading label="Loading apps…" />}
        {resource.status === 'error' && <LoadError what="the apps" error={resource.error} onRetry={reload} />}
        {resource.status === 'ready' &&
          (clients.length === 0 ? (
            <EmptyState title="No enabled EHR-launch apps.">
              <p>An administrator registers and enables them under Admin › System › API Clients.</p>
            </EmptyState>
          ) : (
            <div className="form">
              <SelectField
                label="App"
                name="launchClient"
                options={clients.map((client) => ({ value: client.clientId, label: client.name }))}
                value={clientId}
                onChange={(event) => setChosen(event.target.value)}
              />
              <ActionMessage state={launch.state} failure="Could not launch the app." />
              {url !== undefined && (
                <p className="field-hint">
                  If no window opened, <a href={url} target="_blank" rel="noopener noreferrer">open the app here</a>.
                </p>
              )}
              {patient.apiAccess.optedOut && <p className="field-hint">This patient opted out of third-party API access, so apps cannot be launched for them.</p>}
              <div className="button-row">
                <button
                  type="button"
                  className="button button-primary"
                  disabled={launch.working || clientId === '' || patient.apiAccess.optedOut}
                  onClick={() => void start()}
                >
                  {launch.working ? 'Launching…' : 'Launch app'}
                </button>
              </div>
            </div>
          ))}
      </div>
    </Card>
  );
}
