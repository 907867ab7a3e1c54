import { useCallback, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { api } from '../api/client';
import type { ListResponse, NewStaffUser, Role, StaffUser } from '../api/types';
import { ActionMessage } from '../components/ActionMessage';
import { Alert } from '../components/Alert';
import { Badge } from '../components/Badge';
import { Card } from '../components/Card';
import { EmptyState } from '../components/EmptyState';
import { LoadError } from '../components/LoadError';
import { Loading } from '../components/Loading';
import { PageHeader } from '../components/PageHeader';
import { SearchBox } from '../components/SearchBox';
import { SelectField } from '../components/SelectField';
import { TextField } from '../components/TextField';
import { useFocusFirstInvalid } from '../components/useFocusFirstInvalid';
import { formatDate, plural } from '../format';
import { Link } from '../router/Link';
import { pages, subPath } from '../routes';
import { useAction } from '../session/useAction';
import { useApiResource } from '../session/useApiResource';
import { present } from '../present';

/** The server's rules (server/src/users/staff-users.ts); the server still checks. */
export const MIN_PASSWORD_LENGTH = 10;
const USERNAME_PATTERN = /^[A-Za-z0-9._@-]{2,100}$/;
export const PRACTITIONER_ID_PATTERN = /^[A-Za-z0-9\-.]{1,64}$/;

export const roleOptions: { value: Role; label: string }[] = [
  { value: 'clinician', label: 'Clinician' },
  { value: 'admin', label: 'Administrator' },
];

export function roleLabel(role: Role): string {
  return role === 'admin' ? 'Administrator' : 'Clinician';
}

/** Admin → Users: staff accounts, with a search and a form to add one. */
export function UsersPage() {
  const page = pages.users;
  const [query, setQuery] = useState('');
  const [adding, setAdding] = useState(false);
  const [users, reload] = useApiResource<ListResponse<StaffUser>>(`/admin/api/users${query === '' ? '' : `?q=${encodeURIComponent(query)}`}`, { keepPrevious: true });
  const [added, setAdded] = useState<StaffUser>();
  const onSearch = useCallback((value: string) => setQuery(value), []);

  return (
    <>
      <PageHeader
        title={page.title}
        trail={page.trail}
        subtitle="Staff who may sign in to these admin pages and authorize apps as practitioners."
        actions={
          !adding && (
            <button type="button" className="button button-primary" onClick={() => setAdding(true)}>
              Add user
            </button>
          )
        }
      />
      {adding && (
        <AddUserForm
          onCancel={() => setAdding(false)}
          onAdded={(user) => {
            setAdding(false);
            setAdded(user);
            reload();
          }}
        />
      )}
      {added !== undefined && !adding && (
        <Alert tone="success">
          <p>
            Added <Link to={subPath(page.path, String(added.id))}>{added.username}</Link> as {roleLabel(added.role).toLowerCase()}. They can log in now
            with the password you chose.
          </p>
        </Alert>
      )}
      <section className="panel" aria-labelledby="users-list-title">
        <div className="panel-toolbar">
          <h2 id="users-list-title" className="panel-title">
            Staff users
          </h2>
          <SearchBox label="Search users" value={query} placeholder="Username or name" onSearch={onSearch} />
        </div>
        {users.status === 'loading' && <Loading label="Loading users…" />}
        {users.status === 'error' && <LoadError what="the users" error={users.error} onRetry={reload} />}
        {users.status === 'ready' &&
          (users.data.items.length === 0 ? (
            <EmptyState title={query === '' ? 'No users yet.' : `No users match “${query}”.`} />
          ) : (
            <>
              <div className="table-wrap">
                <table className="table" aria-label="Staff users">
                  <thead>
                    <tr>
                      <th scope="col">Username</th>
                      <th scope="col">Display name</th>
                      <th scope="col">Role</th>
                      <th scope="col">Practitioner</th>
                      <th scope="col">Status</th>
                      <th scope="col">Added</th>
                    </tr>
                  </thead>
                  <tbody>
                    {users.data.items.map((user) => (
                      <tr key={user.id}>
                        <td>
                          <Link to={subPath(page.path, String(user.id))} className="cell-link">
                            {user.username}
                          </Link>
                        </td>
                        <td>{user.displayName}</td>
                        <td>{roleLabel(user.role)}</td>
                        <td>{present(user.practitionerId) ? <code>Practitioner/{user.practitionerId}</code> : <span className="muted">—</span>}</td>
                        <td>{user.disabled ? <Badge tone="danger">Disabled</Badge> : <Badge tone="success">Active</Badge>}</td>
                        <td>{formatDate(user.createdAt)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <p className="table-count">{plural(users.data.total, 'user')}</p>
            </>
          ))}
      </section>
    </>
  );
}

interface AddUserErrors {
  username?: string;
  displayName?: string;
  password?: string;
  practitionerId?: string;
}

function AddUserForm({ onCancel, onAdded }: { onCancel: () => void; onAdded: (user: StaffUser) => void }) {
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [role, setRole] = useState<Role>('clinician');
  const [password, setPassword] = useState('');
  const [practitionerId, setPractitionerId] = useState('');
  const [fieldErrors, setFieldErrors] = useState<AddUserErrors>({});
  const add = useAction();
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstInvalid(formRef, fieldErrors);

  async function handleSubmit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    const errors: AddUserErrors = {
      username:
        username.trim() === ''
          ? 'Choose a username.'
          : USERNAME_PATTERN.test(username.trim())
            ? undefined
            : 'Use 2 to 100 letters, digits and . _ @ - only.',
      displayName: displayName.trim() === '' ? 'Enter the name to show, such as Dr. Ana Ruiz.' : undefined,
      password: password.length < MIN_PASSWORD_LENGTH ? `Use at least ${MIN_PASSWORD_LENGTH} characters.` : undefined,
      practitionerId:
        practitionerId.trim() === '' || PRACTITIONER_ID_PATTERN.test(practitionerId.trim())
          ? undefined
          : 'A FHIR id: letters, digits, - and . only, at most 64.',
    };
    setFieldErrors(errors);
    if (Object.values(errors).some((message) => message !== undefined)) {
      return;
    }
    const body: NewStaffUser = { username: username.trim(), displayName: displayName.trim(), password, role };
    if (practitionerId.trim() !== '') {
      body.practitionerId = practitionerId.trim();
    }
    const user = await add.run(() => api.post<StaffUser>('/admin/api/users', body), (created) => `Added ${created.username}.`);
    if (user !== undefined) {
      onAdded(user);
    }
  }

  return (
    <Card title="Add a user" className="card-spaced" description="The new user logs in with this username and password; tell them the password in person.">
      <form ref={formRef} className="form form-grid" noValidate onSubmit={(event) => void handleSubmit(event)}>
        <TextField
          label="Username"
          name="username"
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          hint="Letters, digits and . _ @ - only."
          required
          value={username}
          error={fieldErrors.username}
          onChange={(event) => setUsername(event.target.value)}
        />
        <TextField
          label="Display name"
          name="displayName"
          autoComplete="off"
          hint="Shown in the admin pages and the audit log."
          required
          value={displayName}
          error={fieldErrors.displayName}
          onChange={(event) => setDisplayName(event.target.value)}
        />
        <SelectField
          label="Role"
          name="role"
          hint="Administrators manage settings, apps and users; clinicians manage patients' API access."
          options={roleOptions}
          value={role}
          onChange={(event) => setRole(event.target.value as Role)}
        />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          hint={`At least ${MIN_PASSWORD_LENGTH} characters.`}
          required
          value={password}
          error={fieldErrors.password}
          onChange={(event) => setPassword(event.target.value)}
        />
        <TextField
          label="Linked Practitioner id (optional)"
          name="practitionerId"
          autoComplete="off"
          spellCheck={false}
          hint="The FHIR Practitioner this person is. Leave empty and a Practitioner is created for a clinician."
          value={practitionerId}
          error={fieldErrors.practitionerId}
          onChange={(event) => setPractitionerId(event.target.value)}
        />
        <div className="form-actions form-grid-full">
          <ActionMessage state={add.state.status === 'success' ? { status: 'idle' } : add.state} failure="Could not add the user." />
          <div className="button-row">
            <button type="submit" className="button button-primary" disabled={add.working}>
              {add.working ? 'Adding…' : 'Add user'}
            </button>
            <button type="button" className="button button-secondary" onClick={onCancel}>
              Cancel
            </button>
          </div>
        </div>
      </form>
    </Card>
  );
}
