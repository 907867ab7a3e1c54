import { useCallback, useMemo, useState } from 'react';
import { itemsOf, profileLabel, toApiClient } from '../api/clients';
import { Badge } from '../components/Badge';
import { EmptyState } from '../components/EmptyState';
import { LoadError } from '../components/LoadError';
import { Loading } from '../components/Loading';
import { PageHeader } from '../components/PageHeader';
import { SearchBox } from '../components/SearchBox';
import { SelectField } from '../components/SelectField';
import { formatDate, plural } from '../format';
import { Link } from '../router/Link';
import { pages, subPath } from '../routes';
import { useApiResource } from '../session/useApiResource';

type StatusFilter = '' | 'enabled' | 'disabled';

const SCOPES_SHOWN = 4;

/** Admin → System → API Clients: every registered app, with a filter and the way to register one. */
export function ClientsPage() {
  const page = pages.apiClients;
  const [query, setQuery] = useState('');
  const [status, setStatus] = useState<StatusFilter>('');
  const params = new URLSearchParams();
  if (query !== '') {
    params.set('q', query);
  }
  if (status !== '') {
    params.set('status', status);
  }
  const search = params.toString();
  const [resource, reload] = useApiResource<unknown>(`/admin/api/clients${search === '' ? '' : `?${search}`}`, { keepPrevious: true });
  const clients = useMemo(() => (resource.status === 'ready' ? itemsOf(resource.data).map(toApiClient) : []), [resource]);
  // Filter here too, so the screen is right even if the server ignores a parameter.
  const shown = clients.filter(
    (client) =>
      (status === '' || client.enabled === (status === 'enabled')) &&
      (query === '' || `${client.name} ${client.clientId}`.toLowerCase().includes(query.toLowerCase())),
  );
  const onSearch = useCallback((value: string) => setQuery(value), []);
  const filtered = query !== '' || status !== '';

  return (
    <>
      <PageHeader
        title={page.title}
        trail={page.trail}
        subtitle="SMART on FHIR apps and backend services registered with this server. Apps that act for staff or systems start disabled until you enable them."
        actions={
          <Link to={subPath(page.path, 'new')} className="button button-primary">
            Register New App
          </Link>
        }
      />
      <section className="panel" aria-labelledby="clients-list-title">
        <div className="panel-toolbar">
          <h2 id="clients-list-title" className="panel-title">
            Registered apps
          </h2>
          <div className="toolbar-fields">
            <SearchBox label="Filter" value={query} placeholder="Name or client id" onSearch={onSearch} />
            <SelectField
              label="Status"
              name="status"
              options={[
                { value: '', label: 'All' },
                { value: 'enabled', label: 'Enabled' },
                { value: 'disabled', label: 'Disabled' },
              ]}
              value={status}
              onChange={(event) => setStatus(event.target.value as StatusFilter)}
            />
          </div>
        </div>
        {resource.status === 'loading' && <Loading label="Loading API clients…" />}
        {resource.status === 'error' && <LoadError what="the API clients" error={resource.error} onRetry={reload} />}
        {resource.status === 'ready' &&
          (shown.length === 0 ? (
            <EmptyState title={filtered ? 'No apps match this filter.' : 'No apps registered yet.'}>
              {!filtered && (
                <p>
                  Apps register themselves at <code>/oauth2/register</code>, or you can{' '}
                  <Link to={subPath(page.path, 'new')}>register one by hand</Link>.
                </p>
              )}
            </EmptyState>
          ) : (
            <>
              <div className="table-wrap">
                <table className="table" aria-label="API clients">
                  <thead>
                    <tr>
                      <th scope="col">Name</th>
                      <th scope="col">Client id</th>
                      <th scope="col">Type</th>
                      <th scope="col">Profile</th>
                      <th scope="col">Status</th>
                      <th scope="col">Scopes</th>
                      <th scope="col">Registered</th>
                    </tr>
                  </thead>
                  <tbody>
                    {shown.map((client) => (
                      <tr key={client.clientId}>
                        <td className="cell-name">
                          <Link to={subPath(page.path, client.clientId)} className="cell-link">
                            {client.name}
                          </Link>
                        </td>
                        <td className="cell-id">
                          <code>{client.clientId}</code>
                        </td>
                        <td>{client.public ? 'Public' : 'Confidential'}</td>
                        <td className="cell-nowrap">{profileLabel(client.profile)}</td>
                        <td>{client.enabled ? <Badge tone="success">Enabled</Badge> : <Badge tone="warning">Disabled</Badge>}</td>
                        <td>
                          <ul className="chips chips-small" aria-label={`Scopes of ${client.name}`}>
                            {client.scopes.slice(0, SCOPES_SHOWN).map((scope) => (
                              <li key={scope} className="chip">
                                {scope}
                              </li>
                            ))}
                            {client.scopes.length > SCOPES_SHOWN && <li className="chip chip-more">+{client.scopes.length - SCOPES_SHOWN} more</li>}
                          </ul>
                        </td>
                        <td className="cell-nowrap">{client.registeredAt === '' ? '—' : formatDate(client.registeredAt)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <p className="table-count">{plural(shown.length, 'app')}</p>
            </>
          ))}
      </section>
    </>
  );
}
