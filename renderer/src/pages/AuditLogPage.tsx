import { useCallback, useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { ApiError, api } from '../api/client';
import type { AuditEvent, AuditPage } from '../api/types';
import { Alert } from '../components/Alert';
import { Badge } from '../components/Badge';
import { EmptyState } from '../components/EmptyState';
import { LoadError } from '../components/LoadError';
import { Loading } from '../components/Loading';
import { PageHeader } from '../components/PageHeader';
import { SelectField } from '../components/SelectField';
import { TextField } from '../components/TextField';
import { formatDateTime } from '../format';
import { pages } from '../routes';
import { useSession } from '../session/SessionContext';

const PAGE_SIZE = 50;

interface Filters {
  type: string;
  outcome: '' | 'success' | 'failure';
  actor: string;
  clientId: string;
  patientId: string;
  /** datetime-local values, in the browser's time zone. */
  since: string;
  until: string;
}

const noFilters: Filters = { type: '', outcome: '', actor: '', clientId: '', patientId: '', since: '', until: '' };

type Listing =
  | { status: 'loading' }
  | { status: 'error'; error: ApiError }
  | { status: 'ready'; items: AuditEvent[]; total: number; next: number | null; more: 'idle' | 'loading' | ApiError };

function queryString(filters: Filters, before?: number): string {
  const params = new URLSearchParams();
  for (const key of ['type', 'outcome', 'actor', 'clientId', 'patientId'] as const) {
    const value = filters[key].trim();
    if (value !== '') {
      params.set(key, value);
    }
  }
  for (const key of ['since', 'until'] as const) {
    const time = filters[key] === '' ? Number.NaN : new Date(filters[key]).getTime();
    if (!Number.isNaN(time)) {
      params.set(key, new Date(time).toISOString());
    }
  }
  params.set('limit', String(PAGE_SIZE));
  if (before !== undefined) {
    params.set('before', String(before));
  }
  return params.toString();
}

function asApiError(error: unknown): ApiError {
  return error instanceof ApiError ? error : new ApiError(0, error instanceof Error ? error.message : String(error));
}

/** Admin → Audit Log: security events, newest first, with filters and "Load more". */
export function AuditLogPage() {
  const page = pages.auditLog;
  const { expired } = useSession();
  const [draft, setDraft] = useState<Filters>(noFilters);
  const [filters, setFilters] = useState<Filters>(noFilters);
  const [attempt, setAttempt] = useState(0);
  const [listing, setListing] = useState<Listing>({ status: 'loading' });

  useEffect(() => {
    const controller = new AbortController();
    setListing({ status: 'loading' });
    api
      .get<AuditPage>(`/admin/api/audit?${queryString(filters)}`, controller.signal)
      .then((data) => setListing({ status: 'ready', items: data.items, total: data.total, next: data.next, more: 'idle' }))
      .catch((error: unknown) => {
        if (controller.signal.aborted) {
          return;
        }
        if (error instanceof ApiError && error.status === 401) {
          expired();
          return;
        }
        setListing({ status: 'error', error: asApiError(error) });
      });
    return () => controller.abort();
  }, [filters, attempt, expired]);

  const loadMore = useCallback(async () => {
    if (listing.status !== 'ready' || listing.next === null) {
      return;
    }
    const before = listing.next;
    setListing({ ...listing, more: 'loading' });
    try {
      const data = await api.get<AuditPage>(`/admin/api/audit?${queryString(filters, before)}`);
      setListing((current) =>
        // A later page's total counts only the older events, so the first page's total stands.
        current.status === 'ready' ? { status: 'ready', items: [...current.items, ...data.items], total: current.total, next: data.next, more: 'idle' } : current,
      );
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        expired();
        return;
      }
      setListing((current) => (current.status === 'ready' ? { ...current, more: asApiError(error) } : current));
    }
  }, [listing, filters, expired]);

  function apply(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    setFilters({ ...draft });
  }

  function clear(): void {
    setDraft(noFilters);
    setFilters(noFilters);
  }

  const set = (key: keyof Filters) => (value: string) => setDraft((current) => ({ ...current, [key]: value }));
  const filtered = Object.values(filters).some((value) => value !== '');

  return (
    <>
      <PageHeader
        title={page.title}
        trail={page.trail}
        subtitle="Log-ins, app registrations, token grants and revocations, and settings changes — newest first."
        actions={
          <button type="button" className="button button-secondary" onClick={() => setAttempt((n) => n + 1)}>
            Refresh
          </button>
        }
      />
      <form className="panel filters" aria-label="Filter the audit log" onSubmit={apply}>
        <div className="filters-grid">
          <TextField label="Event type" name="type" placeholder="e.g. admin.login" hint="Matches the start of the type." value={draft.type} onChange={(event) => set('type')(event.target.value)} />
          <SelectField
            label="Outcome"
            name="outcome"
            options={[
              { value: '', label: 'Any outcome' },
              { value: 'success', label: 'Success' },
              { value: 'failure', label: 'Failure' },
            ]}
            value={draft.outcome}
            onChange={(event) => set('outcome')(event.target.value)}
          />
          <TextField label="User" name="actor" autoComplete="off" spellCheck={false} hint="Exact username." value={draft.actor} onChange={(event) => set('actor')(event.target.value)} />
          <TextField label="Client id" name="clientId" autoComplete="off" spellCheck={false} value={draft.clientId} onChange={(event) => set('clientId')(event.target.value)} />
          <TextField label="Patient id" name="patientId" autoComplete="off" spellCheck={false} value={draft.patientId} onChange={(event) => set('patientId')(event.target.value)} />
          <TextField label="From" name="since" type="datetime-local" value={draft.since} onChange={(event) => set('since')(event.target.value)} />
          <TextField label="Until" name="until" type="datetime-local" value={draft.until} onChange={(event) => set('until')(event.target.value)} />
        </div>
        <div className="button-row">
          <button type="submit" className="button button-primary">
            Apply filters
          </button>
          <button type="button" className="button button-secondary" onClick={clear} disabled={!filtered && Object.values(draft).every((value) => value === '')}>
            Clear filters
          </button>
        </div>
      </form>

      <section className="panel" aria-labelledby="audit-events-title">
        <div className="panel-toolbar">
          <h2 id="audit-events-title" className="panel-title">
            Events
          </h2>
          {listing.status === 'ready' && (
            <p className="table-count" role="status">
              Showing {listing.items.length} of {listing.total}
              {filtered ? ' matching events' : ' events'}
            </p>
          )}
        </div>
        {listing.status === 'loading' && <Loading label="Loading audit events…" />}
        {listing.status === 'error' && <LoadError what="the audit log" error={listing.error} onRetry={() => setAttempt((n) => n + 1)} />}
        {listing.status === 'ready' &&
          (listing.items.length === 0 ? (
            <EmptyState title={filtered ? 'No events match these filters.' : 'No audit events yet.'}>
              {filtered && <p>Clear the filters to see every event.</p>}
            </EmptyState>
          ) : (
            <>
              <div className="table-wrap">
                <table className="table table-compact" aria-label="Audit events">
                  <thead>
                    <tr>
                      <th scope="col">Time</th>
                      <th scope="col">Event</th>
                      <th scope="col">Outcome</th>
                      <th scope="col">User</th>
                      <th scope="col">Client</th>
                      <th scope="col">Patient</th>
                      <th scope="col">Address</th>
                      <th scope="col">Details</th>
                    </tr>
                  </thead>
                  <tbody>
                    {listing.items.map((event) => (
                      <tr key={event.id}>
                        <td className="cell-nowrap">{formatDateTime(event.recorded)}</td>
                        <td>
                          <code>{event.type}</code>
                        </td>
                        <td>{event.outcome === 'success' ? <Badge tone="success">Success</Badge> : <Badge tone="danger">Failure</Badge>}</td>
                        <td>{event.actor ?? <span className="muted">—</span>}</td>
                        <td className="cell-id">{event.clientId ?? <span className="muted">—</span>}</td>
                        <td className="cell-id">{event.patientId ?? <span className="muted">—</span>}</td>
                        <td className="cell-nowrap">{event.ip ?? <span className="muted">—</span>}</td>
                        <td className="cell-detail">{describeDetail(event.detail)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              {listing.more instanceof ApiError && (
                <Alert tone="error" title="Could not load more events.">
                  {listing.more.message}
                </Alert>
              )}
              {listing.next !== null && (
                <p className="load-more">
                  <button type="button" className="button button-secondary" disabled={listing.more === 'loading'} onClick={() => void loadMore()}>
                    {listing.more === 'loading' ? 'Loading…' : 'Load more'}
                  </button>
                </p>
              )}
            </>
          ))}
      </section>
    </>
  );
}

/** `{"reason":"throttled","fields":["siteAddress"]}` → "reason: throttled · fields: siteAddress". */
function describeDetail(detail: unknown) {
  if (detail === null || detail === undefined) {
    return <span className="muted">—</span>;
  }
  if (typeof detail !== 'object') {
    return String(detail);
  }
  const parts = Object.entries(detail as Record<string, unknown>).map(
    ([key, value]) => `${key}: ${Array.isArray(value) ? value.join(', ') : typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value)}`,
  );
  return parts.length === 0 ? <span className="muted">—</span> : parts.join(' · ');
}
