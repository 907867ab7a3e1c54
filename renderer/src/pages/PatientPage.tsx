import { useMemo, useState } from 'react';
import { itemsOf, toApiClient } from '../api/clients';
import { api } from '../api/client';
import { genderLabel, toPatientView } from '../api/patients';
import type { PatientView } from '../api/patients';
import type { PatientCredentials } from '../api/types';
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
import { present } from '../present';

/** A patient's demographics page, with the API access panel (credentials, opt-out, authorized apps) and EHR launch. */
export function PatientPage({ patientId, isAdmin }: { patientId: string; isAdmin: boolean }) {
  const page = pages.patients;
  const base = `/admin/api/patients/${encodeURIComponent(patientId)}`;
  const [resource, reload] = useApiResource<unknown>(base);
  const patient = useMemo(() => (resource.status === 'ready' ? toPatientView(resource.data) : undefined), [resource]);

  return (
    <>
      <BackLink to={page.path}>All patients</BackLink>
      <PageHeader
        title={patient?.name ?? 'Patient'}
        trail={[page.title]}
        subtitle={
          patient === undefined ? undefined : (
            <>
              {patient.resource.birthDate !== undefined ? `Born ${formatFhirDate(patient.resource.birthDate)}` : 'Birth date unknown'}
              {patient.resource.gender !== undefined && ` · ${genderLabel(patient.resource.gender)}`} · <code>Patient/{patient.id}</code>
            </>
          )
        }
      />
      {resource.status === 'loading' && <Loading label="Loading the patient…" />}
      {resource.status === 'error' && <LoadError what="the patient" error={resource.error} onRetry={reload} />}
      {patient !== undefined && (
        <div className="patient-layout">
          <Demographics patient={patient} />
          <div className="stack">
            <ApiAccessCard base={base} patient={patient} isAdmin={isAdmin} onChanged={reload} />
            <LaunchCard patientId={patient.id} isAdmin={isAdmin} />
          </div>
        </div>
      )}
    </>
  );
}

function Demographics({ patient }: { patient: PatientView }) {
  const { resource } = patient;
  const identifiers = resource.identifier ?? [];
  const addresses = resource.address ?? [];
  const telecom = resource.telecom ?? [];
  return (
    <Card title="Demographics">
      <Details>
        <Detail term="Name">{patient.name}</Detail>
        <Detail term="Birth date">{resource.birthDate !== undefined ? formatFhirDate(resource.birthDate) : '—'}</Detail>
        {(patient.fullResource || resource.gender !== undefined) && <Detail term="Gender">{genderLabel(resource.gender)}</Detail>}
        {(patient.fullResource || identifiers.length > 0) && (
          <Detail term="Identifiers">
            {identifiers.length === 0 ? (
              <span className="muted">None</span>
            ) : (
              <ul className="plain-list">
                {identifiers.map((identifier, index) => (
                  <li key={index}>
                    <span className="muted">{identifier.type?.text ?? identifier.type?.coding?.[0]?.display ?? identifier.system ?? 'Identifier'}: </span>
                    <code>{identifier.value ?? '—'}</code>
                  </li>
                ))}
              </ul>
            )}
          </Detail>
        )}
        {(patient.fullResource || addresses.length > 0) && (
          <Detail term="Address">
            {addresses.length === 0 ? (
              <span className="muted">None</span>
            ) : (
              <ul className="plain-list">
                {addresses.map((address, index) => (
                  <li key={index}>
                    {address.text ??
                      [...(address.line ?? []), [address.city, address.state, address.postalCode].filter(Boolean).join(' '), address.country]
                        .filter((part) => part !== undefined && part !== '')
                        .join(', ')}
                    {address.use !== undefined && <span className="muted"> ({address.use})</span>}
                  </li>
                ))}
              </ul>
            )}
          </Detail>
        )}
        {(patient.fullResource || telecom.length > 0) && (
          <Detail term="Contact">
            {telecom.length === 0 ? (
              <span className="muted">None</span>
            ) : (
              <ul className="plain-list">
                {telecom.map((contact, index) => (
                  <li key={index}>
                    <span className="muted">{contact.system ?? 'contact'}: </span>
                    {contact.value}
                    {contact.use !== undefined && <span className="muted"> ({contact.use})</span>}
                  </li>
                ))}
              </ul>
            )}
          </Detail>
        )}
      </Details>
    </Card>
  );
}

function ApiAccessCard({ base, patient, isAdmin, onChanged }: { base: string; patient: PatientView; isAdmin: boolean; onChanged: () => void }) {
  const [credentials, setCredentials] = useState<PatientCredentials>();
  const [confirmReset, setConfirmReset] = useState(false);
  // The opt-out answer carries the patient's access state as it now is.
  const [access, setAccess] = useState(patient.access);
  const optedOut = access.optedOut;
  const [confirmOptOut, setConfirmOptOut] = useState(false);
  const generate = useAction();
  const optOut = useAction();
  const hasCredentials = credentials !== undefined || access.hasCredentials === true;

  async function issue(): Promise<void> {
    setConfirmReset(false);
    const result = await generate.run(
      () => api.post<PatientCredentials>(`${base}/api-credentials`, {}),
      () => (hasCredentials ? 'New credentials generated. The old password no longer works.' : 'API credentials generated.'),
    );
    if (result !== undefined) {
      setCredentials(result);
    }
  }

  async function setOptOut(value: boolean): Promise<void> {
    setConfirmOptOut(false);
    const result = await optOut.run(
      () => api.put<unknown>(`${base}/api-access`, { optOut: value }),
      () =>
        value
          ? 'Opted out: apps can no longer get this patient’s data, and the tokens they hold stop working.'
          : 'Opted back in: the patient can authorize apps again.',
    );
    if (result !== undefined) {
      setAccess(toPatientView(result).access);
    }
  }

  return (
    <Card title="API access" description="Patients log in to the apps they choose with these credentials.">
      <div className="card-section">
        <Details>
          <Detail term="API username">
            {credentials !== undefined ? (
              <code>{credentials.username}</code>
            ) : present(access.username) ? (
              <code>{access.username}</code>
            ) : hasCredentials ? (
              'Issued'
            ) : (
              <span className="muted">No credentials yet</span>
            )}
          </Detail>
          <Detail term="Third-party access">{optedOut ? <Badge tone="danger">Opted out</Badge> : <Badge tone="success">Allowed</Badge>}</Detail>
          {access.authorizedAppCount !== undefined && access.apps === undefined && (
            <Detail term="Apps authorized">
              {access.authorizedAppCount === 0 ? (
                'None'
              ) : isAdmin ? (
                <>
                  {plural(access.authorizedAppCount, 'app')} · <Link to={pages.apiClients.path}>review in API Clients</Link>
                </>
              ) : (
                plural(access.authorizedAppCount, 'app')
              )}
            </Detail>
          )}
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
      <AuthorizedApps patient={{ ...patient, access }} onRevoked={onChanged} />
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
function CredentialsSlip({ patient, credentials }: { patient: PatientView; credentials: PatientCredentials }) {
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

function AuthorizedApps({ patient, onRevoked }: { patient: PatientView; onRevoked: () => void }) {
  const apps = patient.access.apps;
  const [revoking, setRevoking] = useState<{ clientId: string; name: string }>();
  const action = useAction();
  if (apps === undefined) {
    return null;
  }

  async function revoke(app: { clientId: string; name: string }): Promise<void> {
    setRevoking(undefined);
    const done = await action.run(
      () => api.post<unknown>(`/admin/api/clients/${encodeURIComponent(app.clientId)}/users/${encodeURIComponent(`patient:${patient.id}`)}/revoke`, {}),
      () => `Revoked ${app.name}’s access to this patient.`,
    );
    if (done !== undefined) {
      onRevoked();
    }
  }

  return (
    <div className="card-section card-section-divided">
      <h3 className="section-title">Apps this patient authorized</h3>
      <ActionMessage state={action.state} failure="Could not revoke the app." />
      {apps.length === 0 ? (
        <EmptyState title="No apps yet." />
      ) : (
        <ul className="row-list">
          {apps.map((app) => {
            const name = app.clientName ?? app.name ?? app.clientId;
            return (
              <li key={app.clientId} className="row-list-item">
                <span>
                  <Link to={subPath(pages.apiClients.path, app.clientId)}>{name}</Link>
                  {app.authorizedAt !== undefined && <span className="muted"> · since {formatDateTime(app.authorizedAt)}</span>}
                </span>
                <button type="button" className="button button-small button-danger-outline" onClick={() => setRevoking({ clientId: app.clientId, name })}>
                  Revoke
                </button>
              </li>
            );
          })}
        </ul>
      )}
      {revoking !== undefined && (
        <ConfirmDialog title={`Revoke ${revoking.name}?`} confirmLabel="Revoke" danger onConfirm={() => void revoke(revoking)} onCancel={() => setRevoking(undefined)}>
          <p>The app loses access to this patient’s data at once; the patient may authorize it again later.</p>
        </ConfirmDialog>
      )}
    </div>
  );
}

/** EHR launch: open an enabled EHR-launch app for this patient. */
function LaunchCard({ patientId, isAdmin }: { patientId: string; isAdmin: boolean }) {
  const [resource, reload] = useApiResource<unknown>('/admin/api/clients?status=enabled');
  const clients = useMemo(
    () =>
      resource.status === 'ready'
        ? itemsOf(resource.data)
            .map(toApiClient)
            .filter((client) => client.enabled && (client.profile === 'ehr-launch' || client.scopes.includes('launch')))
        : [],
    [resource],
  );
  const [chosen, setChosen] = useState('');
  const [url, setUrl] = useState<string>();
  const launch = useAction();
  const clientId = chosen !== '' ? chosen : (clients[0]?.clientId ?? '');

  async function start(): Promise<void> {
    // Open the window first, while the click still counts as the user's: browsers block later pop-ups.
    const opened = window.open('about:blank', '_blank');
    const result = await launch.run(
      () => api.post<{ url: string }>('/admin/api/launch', { clientId, patientId }),
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
        {resource.status === 'error' &&
          (resource.error.status === 403 && !isAdmin ? (
            <p className="muted">In this version only administrators can see the list of apps to launch.</p>
          ) : (
            <LoadError what="the apps" error={resource.error} onRetry={reload} />
          ))}
        {resource.status === 'ready' &&
          (clients.length === 0 ? (
            <p className="muted">No enabled EHR-launch apps. An administrator enables them under Admin › System › API Clients.</p>
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
              <div className="button-row">
                <button type="button" className="button button-primary" disabled={launch.working || clientId === ''} onClick={() => void start()}>
                  {launch.working ? 'Launching…' : 'Launch app'}
                </button>
              </div>
            </div>
          ))}
      </div>
    </Card>
  );
}
