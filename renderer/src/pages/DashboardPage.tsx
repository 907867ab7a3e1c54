import type { ReactNode } from 'react';
import { itemsOf, toApiClient } from '../api/clients';
import type { DashboardCounts, ServerStatus, ServerStatusWithCounts, Settings } from '../api/types';
import { Alert } from '../components/Alert';
import { Card } from '../components/Card';
import { CertificateDetails, CopyableDetail, Detail, Details } from '../components/Details';
import { LoadError } from '../components/LoadError';
import { Loading } from '../components/Loading';
import { PageHeader } from '../components/PageHeader';
import { formatDateTime, formatDuration, plural } from '../format';
import { Link } from '../router/Link';
import { pages } from '../routes';
import type { Resource } from '../session/useApiResource';
import { useApiResource } from '../session/useApiResource';

/** The server at a glance: is it running, where it answers, and how other PCs can trust it. */
export function DashboardPage({ isAdmin }: { isAdmin: boolean }) {
  const [status, reloadStatus] = useApiResource<ServerStatusWithCounts>('/admin/api/status');

  return isAdmin ? (
    <AdminDashboard status={status} reloadStatus={reloadStatus} />
  ) : (
    <>
      <PageHeader title={pages.dashboard.title} subtitle="Server overview" actions={<RefreshButton onClick={reloadStatus} />} />
      <div className="dashboard-grid">
        <CountsCard status={status} onRetry={reloadStatus} />
        <StatusCard status={status} onRetry={reloadStatus} />
        <Card title="Server details">
          <p className="card-body-text">Addresses, certificates and settings are shown to administrators.</p>
        </Card>
      </div>
    </>
  );
}

/** Settings are for administrators only, so only their dashboard asks for them. */
function AdminDashboard({ status, reloadStatus }: { status: Resource<ServerStatusWithCounts>; reloadStatus: () => void }) {
  const [settings, reloadSettings] = useApiResource<Settings>('/admin/api/settings');
  const [clients, reloadClients] = useApiResource<unknown>('/admin/api/clients');

  function reload(): void {
    reloadStatus();
    reloadSettings();
    reloadClients();
  }

  return (
    <>
      <PageHeader
        title={pages.dashboard.title}
        subtitle={settings.status === 'ready' ? settings.data.practiceName : 'Server overview'}
        actions={<RefreshButton onClick={reload} />}
      />
      <Warnings settings={settings} clients={clients} />
      <div className="dashboard-grid">
        <CountsCard status={status} onRetry={reloadStatus} />
        <StatusCard status={status} apiEnabled={settings.status === 'ready' ? settings.data.apiEnabled : undefined} onRetry={reloadStatus} />
        <CaCard settings={settings} onRetry={reloadSettings} />
        <AddressesCard settings={settings} onRetry={reloadSettings} />
        <TlsCard settings={settings} onRetry={reloadSettings} />
      </div>
    </>
  );
}

const EXPIRY_WARNING_DAYS = 30;

/** What an administrator should act on: no site address, a certificate about to expire, apps waiting to be enabled. */
function Warnings({ settings, clients }: { settings: Resource<Settings>; clients: Resource<unknown> }) {
  const items: ReactNode[] = [];
  if (settings.status === 'ready') {
    if (settings.data.siteAddressConfigured === false) {
      items.push(
        <Alert key="site" tone="warning" title="The site address is not set.">
          <p>
            Apps on other computers and phones cannot reach this server until you set its address in{' '}
            <Link to={pages.fhirSetup.path}>SiteAdmin › FHIR Setup</Link>.
          </p>
        </Alert>,
      );
    }
    const daysLeft = (new Date(settings.data.tls.notAfter).getTime() - Date.now()) / 86_400_000;
    if (daysLeft < EXPIRY_WARNING_DAYS) {
      items.push(
        <Alert key="tls" tone="warning" title={daysLeft <= 0 ? 'The server certificate has expired.' : 'The server certificate expires soon.'}>
          <p>Valid until {formatDateTime(settings.data.tls.notAfter)}. Restart the server to renew it.</p>
        </Alert>,
      );
    }
  }
  if (clients.status === 'ready') {
    const waiting = itemsOf(clients.data)
      .map(toApiClient)
      .filter((client) => !client.enabled);
    if (waiting.length > 0) {
      items.push(
        <Alert key="clients" tone="info" title={`${plural(waiting.length, 'app')} ${waiting.length === 1 ? 'is' : 'are'} disabled.`}>
          <p>
            Apps that act for staff or systems wait for an administrator: review {waiting.length === 1 ? 'it' : 'them'} in{' '}
            <Link to={pages.apiClients.path}>Admin › System › API Clients</Link>.
          </p>
        </Alert>,
      );
    }
  }
  return items.length === 0 ? null : <div className="dashboard-warnings">{items}</div>;
}

function RefreshButton({ onClick }: { onClick: () => void }) {
  return (
    <button type="button" className="button button-secondary" onClick={onClick}>
      Refresh
    </button>
  );
}

interface StatusCardProps {
  status: Resource<ServerStatus>;
  /** Known to administrators only (from the settings). */
  apiEnabled?: boolean;
  onRetry: () => void;
}

function StatusCard({ status, apiEnabled, onRetry }: StatusCardProps) {
  return (
    <Card title="Server status">
      {status.status === 'loading' && <Loading label="Loading the server status…" />}
      {status.status === 'error' && <LoadError what="the server status" error={status.error} onRetry={onRetry} />}
      {status.status === 'ready' && (
        <>
          <p className="status-line">
            <span className={status.data.status === 'ok' ? 'status-dot status-ok' : 'status-dot status-bad'} aria-hidden="true" />
            {status.data.status === 'ok' ? 'Running' : `Not healthy (${String(status.data.status)})`}
          </p>
          <Details>
            <Detail term="Version">{status.data.version}</Detail>
            <Detail term="Started">{formatDateTime(status.data.startedAt)}</Detail>
            <Detail term="Up for">{formatDuration(status.data.uptimeSeconds)}</Detail>
            {apiEnabled !== undefined && <Detail term="Third-party API">{apiEnabled ? 'On' : 'Off — apps cannot connect'}</Detail>}
          </Details>
        </>
      )}
    </Card>
  );
}

/** A few numbers at a glance; administrators also see apps, tokens and exports. */
function CountsCard({ status, onRetry }: { status: Resource<ServerStatusWithCounts>; onRetry: () => void }) {
  return (
    <Card title="At a glance" className="card-wide">
      {status.status === 'loading' && <Loading label="Loading the counts…" />}
      {status.status === 'error' && <LoadError what="the counts" error={status.error} onRetry={onRetry} />}
      {status.status === 'ready' && status.data.counts !== undefined && <CountList counts={status.data.counts} />}
    </Card>
  );
}

function CountList({ counts }: { counts: DashboardCounts }) {
  const { enabledClients, activeAccessTokens, bulkExportsRunning, bulkExportsQueued } = counts;
  return (
    <Details>
      <Detail term="Patients">{formatCount(counts.patients)}</Detail>
      {enabledClients !== undefined && <Detail term="Enabled apps">{formatCount(enabledClients)}</Detail>}
      {activeAccessTokens !== undefined && <Detail term="Active access tokens">{formatCount(activeAccessTokens)}</Detail>}
      {bulkExportsRunning !== undefined && bulkExportsQueued !== undefined && (
        <Detail term="Bulk exports">
          {formatCount(bulkExportsRunning)} running · {formatCount(bulkExportsQueued)} queued
        </Detail>
      )}
    </Details>
  );
}

function formatCount(count: number): string {
  return count.toLocaleString();
}

function AddressesCard({ settings, onRetry }: { settings: Resource<Settings>; onRetry: () => void }) {
  return (
    <Card
      title="Addresses"
      className="card-wide"
      description="Give app developers the FHIR base URL. The site address is set in SiteAdmin › FHIR Setup."
    >
      <SettingsBody settings={settings} onRetry={onRetry}>
        {(data) => (
          <Details>
            <CopyableDetail term="FHIR base URL" value={data.fhirBaseUrl} />
            <CopyableDetail term="Admin URL" value={data.adminUrl} />
            <CopyableDetail term="Site address" value={data.siteAddress} />
            <CopyableDetail term="Issuer (OAuth 2 and OpenID Connect)" value={data.issuer} copyLabel="issuer" />
          </Details>
        )}
      </SettingsBody>
    </Card>
  );
}

function CaCard({ settings, onRetry }: { settings: Resource<Settings>; onRetry: () => void }) {
  return (
    <Card
      title="CA certificate"
      description="Other computers in the office trust this server by installing its CA certificate. Before trusting it there, check that the fingerprint they see matches this one."
    >
      <SettingsBody settings={settings} onRetry={onRetry}>
        {(data) => (
          <>
            <Details stacked>
              <CopyableDetail
                term="CA fingerprint (SHA-256)"
                value={data.caFingerprint256}
                copyLabel="CA fingerprint"
                id="ca-fingerprint"
                fingerprint
              />
            </Details>
            <p className="card-actions">
              <a className="button button-primary" href="/ca.crt" download="inpracsys-ca.crt">
                Download CA certificate
              </a>
            </p>
          </>
        )}
      </SettingsBody>
    </Card>
  );
}

function TlsCard({ settings, onRetry }: { settings: Resource<Settings>; onRetry: () => void }) {
  return (
    <Card title="Server certificate" className="card-wide" description="The certificate this server presents, issued by the CA above.">
      <SettingsBody settings={settings} onRetry={onRetry}>
        {(data) => <CertificateDetails tls={data.tls} />}
      </SettingsBody>
    </Card>
  );
}

interface SettingsBodyProps {
  settings: Resource<Settings>;
  onRetry: () => void;
  children: (data: Settings) => ReactNode;
}

/** A card's loading and error states while the settings load, then its content. */
function SettingsBody({ settings, onRetry, children }: SettingsBodyProps) {
  if (settings.status === 'loading') {
    return <Loading label="Loading the server settings…" />;
  }
  if (settings.status === 'error') {
    return <LoadError what="the server settings" error={settings.error} onRetry={onRetry} />;
  }
  return <>{children(settings.data)}</>;
}
