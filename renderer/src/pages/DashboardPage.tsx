import { Fragment } from 'react';
import type { ReactNode } from 'react';
import type { ServerStatus, Settings } from '../api/types';
import { Card } from '../components/Card';
import { CopyButton } from '../components/CopyButton';
import { LoadError } from '../components/LoadError';
import { Loading } from '../components/Loading';
import { PageHeader } from '../components/PageHeader';
import { formatDate, formatDateTime, formatDuration } from '../format';
import { pages } from '../routes';
import type { Resource } from '../session/useApiResource';
import { useApiResource } from '../session/useApiResource';

/** The server at a glance: is it running, where it answers, and how other PCs can trust it. */
export function DashboardPage({ isAdmin }: { isAdmin: boolean }) {
  const [status, reloadStatus] = useApiResource<ServerStatus>('/admin/api/status');

  return isAdmin ? (
    <AdminDashboard status={status} reloadStatus={reloadStatus} />
  ) : (
    <>
      <PageHeader title={pages.dashboard.title} subtitle="Server overview" actions={<RefreshButton onClick={reloadStatus} />} />
      <div className="dashboard-grid">
        <StatusCard status={status} onRetry={reloadStatus} />
        <Card title="Server details">
          <p className="card-body-text">Addresses, certificates and settings are shown to administrators.</p>
        </Card>
      </div>
    </>
  );
}

/** Settings are for administrators only, so only their dashboard asks for them. */
function AdminDashboard({ status, reloadStatus }: { status: Resource<ServerStatus>; reloadStatus: () => void }) {
  const [settings, reloadSettings] = useApiResource<Settings>('/admin/api/settings');

  function reload(): void {
    reloadStatus();
    reloadSettings();
  }

  return (
    <>
      <PageHeader
        title={pages.dashboard.title}
        subtitle={settings.status === 'ready' ? settings.data.practiceName : 'Server overview'}
        actions={<RefreshButton onClick={reload} />}
      />
      <div className="dashboard-grid">
        <StatusCard status={status} apiEnabled={settings.status === 'ready' ? settings.data.apiEnabled : undefined} onRetry={reloadStatus} />
        <CaCard settings={settings} onRetry={reloadSettings} />
        <AddressesCard settings={settings} onRetry={reloadSettings} />
        <TlsCard settings={settings} onRetry={reloadSettings} />
      </div>
    </>
  );
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
        {(data) => (
          <Details>
            <Detail term="Names">
              {data.tls.sans.length === 0 ? (
                <span className="muted">None listed</span>
              ) : (
                <ul className="chips" aria-label="Names the certificate is valid for">
                  {data.tls.sans.map((name) => (
                    <li key={name} className="chip">
                      {name}
                    </li>
                  ))}
                </ul>
              )}
            </Detail>
            <Detail term="Valid until">{formatDate(data.tls.notAfter)}</Detail>
            <CopyableDetail
              term="Fingerprint (SHA-256)"
              value={data.tls.leafFingerprint256}
              copyLabel="server certificate fingerprint"
              fingerprint
            />
          </Details>
        )}
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

/** A list of labelled values; `stacked` puts each label above its value. */
function Details({ stacked = false, children }: { stacked?: boolean; children: ReactNode }) {
  return <dl className={stacked ? 'details details-stacked' : 'details'}>{children}</dl>;
}

function Detail({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="detail">
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  );
}

interface CopyableDetailProps {
  term: string;
  value: string;
  copyLabel?: string;
  id?: string;
  /** Colon-separated hex: shown in rows of eight bytes, easy to compare by eye. */
  fingerprint?: boolean;
}

function CopyableDetail({ term, value, copyLabel = term, id, fingerprint = false }: CopyableDetailProps) {
  return (
    <div className="detail">
      <dt>{term}</dt>
      <dd className="detail-copyable">
        {fingerprint ? (
          <FingerprintValue id={id} value={value} />
        ) : (
          <code id={id} className="value">
            {value}
          </code>
        )}
        <CopyButton value={value} label={copyLabel} />
      </dd>
    </div>
  );
}

const BYTES_PER_ROW = 8;

/** Its text content stays exactly `value`: the rows and break points add no characters. */
function FingerprintValue({ id, value }: { id?: string; value: string }) {
  const bytes = value.split(':');
  const rows: string[][] = [];
  for (let start = 0; start < bytes.length; start += BYTES_PER_ROW) {
    rows.push(bytes.slice(start, start + BYTES_PER_ROW));
  }
  return (
    <code id={id} className="value value-fingerprint">
      {rows.map((row, rowIndex) => (
        <span key={rowIndex} className="fingerprint-row">
          {row.map((byte, byteIndex) => {
            const last = rowIndex === rows.length - 1 && byteIndex === row.length - 1;
            return (
              <Fragment key={byteIndex}>
                {last ? byte : `${byte}:`}
                <wbr />
              </Fragment>
            );
          })}
        </span>
      ))}
    </code>
  );
}
