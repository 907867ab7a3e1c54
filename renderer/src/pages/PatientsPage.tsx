import { useCallback, useMemo, useState } from 'react';
import { itemsOf } from '../api/clients';
import { genderLabel, toPatientView } from '../api/patients';
import { Badge } from '../components/Badge';
import { EmptyState } from '../components/EmptyState';
import { LoadError } from '../components/LoadError';
import { Loading } from '../components/Loading';
import { PageHeader } from '../components/PageHeader';
import { SearchBox } from '../components/SearchBox';
import { formatFhirDate, plural } from '../format';
import { Link } from '../router/Link';
import { pages, subPath } from '../routes';
import { useApiResource } from '../session/useApiResource';

/** Patients: find a patient, then open their demographics and API access. */
export function PatientsPage({ isAdmin }: { isAdmin: boolean }) {
  const page = pages.patients;
  const [query, setQuery] = useState('');
  const [resource, reload] = useApiResource<unknown>(`/admin/api/patients${query === '' ? '' : `?q=${encodeURIComponent(query)}`}`, { keepPrevious: true });
  const patients = useMemo(() => (resource.status === 'ready' ? itemsOf(resource.data).map(toPatientView) : []), [resource]);
  const total = resource.status === 'ready' && typeof (resource.data as { total?: unknown }).total === 'number' ? (resource.data as { total: number }).total : patients.length;
  const onSearch = useCallback((value: string) => setQuery(value), []);
  // The list may carry summaries without gender; then the column says nothing and is left out.
  const showGender = patients.some((patient) => patient.resource.gender !== undefined);

  return (
    <>
      <PageHeader
        title={page.title}
        trail={page.trail}
        subtitle={
          isAdmin
            ? 'Give patients API credentials for the apps they choose, or turn third-party access off for them.'
            : 'Give patients API credentials for the apps they choose.'
        }
      />
      <section className="panel" aria-labelledby="patients-list-title">
        <div className="panel-toolbar">
          <h2 id="patients-list-title" className="panel-title">
            Patients
          </h2>
          <SearchBox label="Search patients" value={query} placeholder="Name, birth date or id" onSearch={onSearch} />
        </div>
        {resource.status === 'loading' && <Loading label="Loading patients…" />}
        {resource.status === 'error' && <LoadError what="the patients" error={resource.error} onRetry={reload} />}
        {resource.status === 'ready' &&
          (patients.length === 0 ? (
            <EmptyState title={query === '' ? 'No patients on this server yet.' : `No patients match “${query}”.`}>
              {query === '' && (
                <p>
                  Load records through the FHIR API or with <code>inpracsys import FILE</code>.
                </p>
              )}
            </EmptyState>
          ) : (
            <>
              <div className="table-wrap">
                <table className="table" aria-label="Patients">
                  <thead>
                    <tr>
                      <th scope="col">Name</th>
                      <th scope="col">Birth date</th>
                      {showGender && <th scope="col">Gender</th>}
                      <th scope="col">Patient id</th>
                      <th scope="col">API access</th>
                      <th scope="col">Authorized apps</th>
                    </tr>
                  </thead>
                  <tbody>
                    {patients.map((patient) => (
                      <tr key={patient.id}>
                        <td>
                          <Link to={subPath(page.path, patient.id)} className="cell-link">
                            {patient.name}
                          </Link>
                        </td>
                        <td className="cell-nowrap">{patient.resource.birthDate !== undefined ? formatFhirDate(patient.resource.birthDate) : '—'}</td>
                        {showGender && <td>{genderLabel(patient.resource.gender)}</td>}
                        <td className="cell-id">
                          <code>{patient.id}</code>
                        </td>
                        <td>
                          {patient.access.optedOut ? (
                            <Badge tone="danger">Opted out</Badge>
                          ) : patient.access.hasCredentials === true ? (
                            <Badge tone="success">Credentials issued</Badge>
                          ) : (
                            <Badge tone="neutral">No credentials</Badge>
                          )}
                        </td>
                        <td>{patient.access.authorizedAppCount ?? '—'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <p className="table-count">
                {patients.length < total ? `Showing ${patients.length} of ${plural(total, 'patient')}` : plural(patients.length, 'patient')}
              </p>
            </>
          ))}
      </section>
    </>
  );
}
