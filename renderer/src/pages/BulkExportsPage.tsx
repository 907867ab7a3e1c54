import { useMemo, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { api } from '../api/client';
import { itemsOf } from '../api/clients';
import type { BulkJob } from '../api/types';
import { ActionMessage } from '../components/ActionMessage';
import { Badge } from '../components/Badge';
import type { BadgeTone } from '../components/Badge';
import { Detail, Details } from '../components/Details';
import { EmptyState } from '../components/EmptyState';
import { LoadError } from '../components/LoadError';
import { Loading } from '../components/Loading';
import { PageHeader } from '../components/PageHeader';
import { TextField } from '../components/TextField';
import { useFocusFirstInvalid } from '../components/useFocusFirstInvalid';
import { formatDateTime, plural } from '../format';
import { Link } from '../router/Link';
import { pages, subPath } from '../routes';
import { useSession } from '../session/SessionContext';
import { useAction } from '../session/useAction';
import type { ActionState } from '../session/useAction';
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

/** `GET /admin/api/bulk-settings`: what the export worker uses. */
interface BulkSettings {
  resourcesPerFile: number;
  retentionHours: number;
}

/** Admin → Bulk Exports: Bulk Data export jobs and their state, and the export settings. */
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
      <ExportSettings />
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

/** The split size and retention: administrators change them here, anyone else only reads them. */
function ExportSettings() {
  const [settings, reload] = useApiResource<BulkSettings>('/admin/api/bulk-settings');
  const { session } = useSession();
  const isAdmin = session.status === 'authenticated' && session.user.role === 'admin';
  return (
    <section className="panel" aria-labelledby="bulk-settings-title">
      <div className="panel-toolbar">
        <h2 id="bulk-settings-title" className="panel-title">
          Export settings
        </h2>
      </div>
      {settings.status === 'loading' && <Loading label="Loading the export settings…" />}
      {settings.status === 'error' && <LoadError what="the export settings" error={settings.error} onRetry={reload} />}
      {settings.status === 'ready' && (isAdmin ? <ExportSettingsForm initial={settings.data} /> : <ExportSettingsDetails settings={settings.data} />)}
    </section>
  );
}

function ExportSettingsDetails({ settings }: { settings: BulkSettings }) {
  return (
    <Details>
      <Detail term="Resources per file">{settings.resourcesPerFile.toLocaleString()}</Detail>
      <Detail term="Files kept for">{plural(settings.retentionHours, 'hour')} after the export completes</Detail>
    </Details>
  );
}

/** The server's rules (server/src/admin/routes/settings.ts); the server still checks. */
const MAX_RESOURCES_PER_FILE = 10_000_000;
const MAX_RETENTION_HOURS = 8760;

/** The two export settings as `PUT /admin/api/settings` names them. */
interface BulkSettingsChange {
  bulkExportResourcesPerFile: number;
  bulkExportRetentionHours: number;
}

type BulkFieldErrors = Partial<Record<keyof BulkSettingsChange, string>>;

function wholeNumberProblem(value: string, max: number, unit: string): string | undefined {
  const number = Number(value);
  if (value.trim() === '' || !Number.isInteger(number)) {
    return `Enter a whole number of ${unit}.`;
  }
  if (number < 1) {
    return 'At least 1.';
  }
  return number > max ? `At most ${max.toLocaleString()}.` : undefined;
}

/** The server names the field first (`bulkExportRetentionHours: …`): show its words under that field. */
function serverFieldErrors(state: ActionState): BulkFieldErrors {
  if (state.status !== 'error') {
    return {};
  }
  const match = /^(bulkExportResourcesPerFile|bulkExportRetentionHours): (.*)$/s.exec(state.message);
  return match === null ? {} : { [match[1] as keyof BulkSettingsChange]: match[2] };
}

function ExportSettingsForm({ initial }: { initial: BulkSettings }) {
  const [resourcesPerFile, setResourcesPerFile] = useState(String(initial.resourcesPerFile));
  const [retentionHours, setRetentionHours] = useState(String(initial.retentionHours));
  const [fieldErrors, setFieldErrors] = useState<BulkFieldErrors>({});
  const save = useAction();
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstInvalid(formRef, fieldErrors);

  const serverErrors = serverFieldErrors(save.state);
  const errors = { ...fieldErrors, ...serverErrors };
  const messageState = Object.keys(serverErrors).length > 0 ? { status: 'idle' as const } : save.state;

  async function handleSubmit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    const problems: BulkFieldErrors = {
      bulkExportResourcesPerFile: wholeNumberProblem(resourcesPerFile, MAX_RESOURCES_PER_FILE, 'resources'),
      bulkExportRetentionHours: wholeNumberProblem(retentionHours, MAX_RETENTION_HOURS, 'hours'),
    };
    setFieldErrors(problems);
    if (Object.values(problems).some((message) => message !== undefined)) {
      save.reset();
      return;
    }
    const change: BulkSettingsChange = { bulkExportResourcesPerFile: Number(resourcesPerFile), bulkExportRetentionHours: Number(retentionHours) };
    const saved = await save.run(
      () => api.put<BulkSettingsChange>('/admin/api/settings', change),
      () => 'Export settings saved. Exports started from now on use them.',
    );
    if (saved !== undefined) {
      setResourcesPerFile(String(saved.bulkExportResourcesPerFile));
      setRetentionHours(String(saved.bulkExportRetentionHours));
    }
  }

  return (
    <form ref={formRef} className="form form-grid" noValidate onSubmit={(event) => void handleSubmit(event)}>
      <TextField
        label="Resources per file"
        name="bulkExportResourcesPerFile"
        type="number"
        inputMode="numeric"
        min={1}
        max={MAX_RESOURCES_PER_FILE}
        step={1}
        hint={`An export starts a new NDJSON file after this many resources: 1 to ${MAX_RESOURCES_PER_FILE.toLocaleString()}.`}
        required
        disabled={save.working}
        value={resourcesPerFile}
        error={errors.bulkExportResourcesPerFile}
        onChange={(event) => setResourcesPerFile(event.target.value)}
      />
      <TextField
        label="Keep files for (hours)"
        name="bulkExportRetentionHours"
        type="number"
        inputMode="numeric"
        min={1}
        max={MAX_RETENTION_HOURS}
        step={1}
        hint={`Counted from when an export completes; then its files are deleted. 1 to ${MAX_RETENTION_HOURS.toLocaleString()} (a year).`}
        required
        disabled={save.working}
        value={retentionHours}
        error={errors.bulkExportRetentionHours}
        onChange={(event) => setRetentionHours(event.target.value)}
      />
      <div className="form-footer form-grid-full">
        <p className="field-hint">New values apply to exports started afterwards; files already written keep their size and expiry time.</p>
        <ActionMessage state={messageState} failure="Could not save the export settings." />
        <button type="submit" className="button button-primary" disabled={save.working}>
          {save.working ? 'Saving…' : 'Save export settings'}
        </button>
      </div>
    </form>
  );
}

function formatWhen(value: string | undefined): string {
  return value === undefined || value === '' ? '—' : formatDateTime(value);
}
