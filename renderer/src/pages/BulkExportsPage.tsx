import { useMemo } from 'react';
import { itemsOf } from '../api/clients';
import type { BulkJob } from '../api/types';
import { Badge } from '../components/Badge';
import type { BadgeTone } from '../components/Badge';
import { EmptyState } from '../components/EmptyState';
import { LoadError } from '../components/LoadError';
import { Loading } from '../components/Loading';
import { PageHeader } from '../components/PageHeader';
import { formatDateTime, plural } from '../format';
import { Link } from '../router/Link';
import { pages, subPath } from '../routes';
import { useApiResource } from '../session/useApiResource';
import { present } from '../present';

const tones: Record<string, BadgeTone> = {
  completed: 'success',
  complete: 'success',
  running: 'info',
  'in-progress': 'info',
  queued: 'neutral',
  accepted: 'neutral',
  failed: 'danger',
  error: 'danger',
  cancelled: 'warning',
  canceled: 'warning',
  expired: 'neutral',
};

/** Admin → Bulk Exports: Bulk Data export jobs and their state. */
export function BulkExportsPage() {
  const page = pages.bulkExports;
  const [resource, reload] = useApiResource<unknown>('/admin/api/bulk-jobs');
  const jobs = useMemo(() => (resource.status === 'ready' ? (itemsOf(resource.data) as BulkJob[]) : []), [resource]);
  // Until the bulk export service exists, the route is missing: that is an empty list, not an error.
  const notAvailable = resource.status === 'error' && resource.error.status === 404;

  return (
    <>
      <PageHeader
        title={page.title}
        trail={page.trail}
        subtitle="Bulk Data exports that backend services requested with $export, newest first."
        actions={
          <button type="button" className="button button-secondary" onClick={reload}>
            Refresh
          </button>
        }
      />
      <section className="panel" aria-labelledby="bulk-jobs-title">
        <div className="panel-toolbar">
          <h2 id="bulk-jobs-title" className="panel-title">
            Export jobs
          </h2>
        </div>
        {resource.status === 'loading' && <Loading label="Loading export jobs…" />}
        {resource.status === 'error' && !notAvailable && <LoadError what="the export jobs" error={resource.error} onRetry={reload} />}
        {(notAvailable || (resource.status === 'ready' && jobs.length === 0)) && (
          <EmptyState title="No exports yet.">
            <p>
              Backend services start an export with <code>GET /fhir/r4/$export</code>; the jobs and their files appear here.
            </p>
          </EmptyState>
        )}
        {resource.status === 'ready' && jobs.length > 0 && (
          <>
            <div className="table-wrap">
              <table className="table" aria-label="Export jobs">
                <thead>
                  <tr>
                    <th scope="col">Job</th>
                    <th scope="col">Client</th>
                    <th scope="col">Level</th>
                    <th scope="col">Types</th>
                    <th scope="col">Requested</th>
                    <th scope="col">Finished</th>
                    <th scope="col">Status</th>
                    <th scope="col">Files</th>
                  </tr>
                </thead>
                <tbody>
                  {jobs.map((job) => (
                    <tr key={job.id}>
                      <td className="cell-id">
                        <code>{job.id}</code>
                      </td>
                      <td>
                        {present(job.clientId) ? (
                          <Link to={subPath(pages.apiClients.path, job.clientId)}>{job.clientName ?? job.clientId}</Link>
                        ) : (
                          <span className="muted">—</span>
                        )}
                      </td>
                      <td>{job.level ?? job.kind ?? '—'}</td>
                      <td>{job.types !== undefined && job.types.length > 0 ? job.types.join(', ') : <span className="muted">All</span>}</td>
                      <td className="cell-nowrap">{formatWhen(job.requestedAt ?? job.createdAt)}</td>
                      <td className="cell-nowrap">{formatWhen(job.completedAt ?? undefined)}</td>
                      <td>
                        <Badge tone={tones[job.status] ?? 'neutral'}>{job.status}</Badge>
                        {present(job.error) && <span className="cell-note">{job.error}</span>}
                      </td>
                      <td>{job.fileCount ?? '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <p className="table-count">{plural(jobs.length, 'job')}</p>
          </>
        )}
      </section>
    </>
  );
}

function formatWhen(value: string | undefined): string {
  return value === undefined || value === '' ? '—' : formatDateTime(value);
}
