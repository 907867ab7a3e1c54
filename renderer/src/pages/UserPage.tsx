import { useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { api } from '../api/client';
import type { Role, StaffUser, StaffUserChange, User } from '../api/types';
import { ActionMessage } from '../components/ActionMessage';
import { BackLink } from '../components/BackLink';
import { Badge } from '../components/Badge';
import { Card } from '../components/Card';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Detail, Details } from '../components/Details';
import { LoadError } from '../components/LoadError';
import { Loading } from '../components/Loading';
import { PageHeader } from '../components/PageHeader';
import { SelectField } from '../components/SelectField';
import { TextField } from '../components/TextField';
import { useFocusFirstInvalid } from '../components/useFocusFirstInvalid';
import { formatDateTime } from '../format';
import { pages } from '../routes';
import { useAction } from '../session/useAction';
import { useApiResource } from '../session/useApiResource';
import { MIN_PASSWORD_LENGTH, PRACTITIONER_ID_PATTERN, roleLabel, roleOptions } from './UsersPage';

/** One staff user: name and role, disable or enable, reset the password. */
export function UserPage({ userId, currentUser }: { userId: string; currentUser: User }) {
  const page = pages.users;
  const [resource, reload] = useApiResource<StaffUser>(`/admin/api/users/${encodeURIComponent(userId)}`);
  const [user, setUser] = useState<StaffUser>();
  const shown = user ?? (resource.status === 'ready' ? resource.data : undefined);

  return (
    <>
      <BackLink to={page.path}>All users</BackLink>
      <PageHeader
        title={shown === undefined ? 'User' : shown.displayName || shown.username}
        trail={[...page.trail, page.title]}
        subtitle={
          shown === undefined ? undefined : (
            <>
              <code>{shown.username}</code> · {roleLabel(shown.role)} ·{' '}
              {shown.disabled ? <Badge tone="danger">Disabled</Badge> : <Badge tone="success">Active</Badge>}
            </>
          )
        }
      />
      {resource.status === 'loading' && <Loading label="Loading the user…" />}
      {resource.status === 'error' && <LoadError what="the user" error={resource.error} onRetry={reload} />}
      {shown !== undefined && (
        <div className="two-columns">
          <ProfileCard user={shown} isSelf={String(shown.id) === String(currentUser.id)} onSaved={setUser} />
          <div className="stack">
            <StatusCard user={shown} isSelf={String(shown.id) === String(currentUser.id)} onSaved={setUser} />
            <PasswordCard user={shown} />
          </div>
        </div>
      )}
    </>
  );
}

interface CardProps {
  user: StaffUser;
  isSelf: boolean;
  onSaved: (user: StaffUser) => void;
}

function ProfileCard({ user, isSelf, onSaved }: CardProps) {
  const [displayName, setDisplayName] = useState(user.displayName);
  const [role, setRole] = useState<Role>(user.role);
  const [practitionerId, setPractitionerId] = useState(user.practitionerId ?? '');
  const [fieldErrors, setFieldErrors] = useState<{ displayName?: string; practitionerId?: string }>({});
  const save = useAction();
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstInvalid(formRef, fieldErrors);

  async function handleSubmit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    const errors = {
      displayName: displayName.trim() === '' ? 'Enter the name to show.' : undefined,
      practitionerId:
        practitionerId.trim() === '' || PRACTITIONER_ID_PATTERN.test(practitionerId.trim())
          ? undefined
          : 'A FHIR id: letters, digits, - and . only, at most 64.',
    };
    setFieldErrors(errors);
    if (errors.displayName !== undefined || errors.practitionerId !== undefined) {
      save.reset();
      return;
    }
    const change: StaffUserChange = {};
    if (displayName.trim() !== user.displayName) {
      change.displayName = displayName.trim();
    }
    if (role !== user.role) {
      change.role = role;
    }
    if (practitionerId.trim() !== (user.practitionerId ?? '')) {
      change.practitionerId = practitionerId.trim() === '' ? null : practitionerId.trim();
    }
    if (Object.keys(change).length === 0) {
      await save.run(async () => undefined, () => 'Nothing to save: no changes.');
      return;
    }
    const saved = await save.run(
      () => api.put<StaffUser>(`/admin/api/users/${encodeURIComponent(String(user.id))}`, change),
      (result) => `Saved. ${result.username} is ${roleLabel(result.role).toLowerCase() === 'administrator' ? 'an administrator' : 'a clinician'}.`,
    );
    if (saved !== undefined) {
      onSaved(saved);
    } else {
      // A refused change (such as demoting yourself) leaves the form as the server has it.
      setRole(user.role);
    }
  }

  return (
    <Card title="Profile">
      <form ref={formRef} className="form card-form" noValidate onSubmit={(event) => void handleSubmit(event)}>
        <Details>
          <Detail term="Username">
            <code>{user.username}</code>
          </Detail>
          <Detail term="Added">{formatDateTime(user.createdAt)}</Detail>
        </Details>
        <TextField
          label="Display name"
          name="displayName"
          autoComplete="off"
          required
          value={displayName}
          error={fieldErrors.displayName}
          onChange={(event) => setDisplayName(event.target.value)}
        />
        <SelectField
          label="Role"
          name="role"
          hint={isSelf ? 'You cannot remove your own administrator role.' : undefined}
          options={roleOptions}
          value={role}
          onChange={(event) => setRole(event.target.value as Role)}
        />
        <TextField
          label="Linked Practitioner id"
          name="practitionerId"
          autoComplete="off"
          spellCheck={false}
          hint="The FHIR Practitioner this person is; apps see it as their fhirUser. Empty for none."
          value={practitionerId}
          error={fieldErrors.practitionerId}
          onChange={(event) => setPractitionerId(event.target.value)}
        />
        <ActionMessage state={save.state} failure="Could not save the user." />
        <div className="button-row">
          <button type="submit" className="button button-primary" disabled={save.working}>
            {save.working ? 'Saving…' : 'Save changes'}
          </button>
        </div>
      </form>
    </Card>
  );
}

function StatusCard({ user, isSelf, onSaved }: CardProps) {
  const [confirming, setConfirming] = useState(false);
  const change = useAction();
  const disabling = !user.disabled;

  async function apply(): Promise<void> {
    setConfirming(false);
    const saved = await change.run(
      () => api.put<StaffUser>(`/admin/api/users/${encodeURIComponent(String(user.id))}`, { disabled: disabling }),
      (result) => (result.disabled ? `${result.username} is disabled and was logged out.` : `${result.username} is enabled and can log in again.`),
    );
    if (saved !== undefined) {
      onSaved(saved);
    }
  }

  return (
    <Card
      title="Account status"
      description={
        user.disabled
          ? 'This account is disabled: the user cannot log in to the admin pages or authorize apps.'
          : 'Disabling the account logs the user out at once and stops them from logging in.'
      }
    >
      <div className="card-section">
        <ActionMessage state={change.state} failure={disabling ? 'Could not disable the user.' : 'Could not enable the user.'} />
        <div className="button-row">
          <button
            type="button"
            className={disabling ? 'button button-danger-outline' : 'button button-primary'}
            disabled={change.working}
            onClick={() => setConfirming(true)}
          >
            {disabling ? 'Disable user' : 'Enable user'}
          </button>
          {isSelf && disabling && <span className="muted">You cannot disable your own account.</span>}
        </div>
      </div>
      {confirming && (
        <ConfirmDialog
          title={disabling ? `Disable ${user.username}?` : `Enable ${user.username}?`}
          confirmLabel={disabling ? 'Disable user' : 'Enable user'}
          danger={disabling}
          onConfirm={() => void apply()}
          onCancel={() => setConfirming(false)}
        >
          <p>
            {disabling
              ? `${user.displayName || user.username} will be logged out and will not be able to log in until an administrator enables the account again.`
              : `${user.displayName || user.username} will be able to log in again with their password.`}
          </p>
        </ConfirmDialog>
      )}
    </Card>
  );
}

interface PasswordErrors {
  password?: string;
  confirm?: string;
}

function PasswordCard({ user }: { user: StaffUser }) {
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [fieldErrors, setFieldErrors] = useState<PasswordErrors>({});
  const reset = useAction();
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstInvalid(formRef, fieldErrors);

  async function handleSubmit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    const errors: PasswordErrors = {
      password: password.length < MIN_PASSWORD_LENGTH ? `Use at least ${MIN_PASSWORD_LENGTH} characters.` : undefined,
      confirm: confirm !== password ? 'The two passwords do not match.' : undefined,
    };
    setFieldErrors(errors);
    if (Object.values(errors).some((message) => message !== undefined)) {
      reset.reset();
      return;
    }
    const done = await reset.run(
      () => api.put<StaffUser>(`/admin/api/users/${encodeURIComponent(String(user.id))}`, { password }),
      (result) => `Password changed. ${result.username} was logged out everywhere and must use the new password.`,
    );
    if (done !== undefined) {
      setPassword('');
      setConfirm('');
    }
  }

  return (
    <Card title="Reset password" description="Set a new password when the user forgot theirs. Tell them in person; they are logged out everywhere.">
      <form ref={formRef} className="form card-form" noValidate onSubmit={(event) => void handleSubmit(event)}>
        <TextField
          label="New password"
          name="newPassword"
          type="password"
          autoComplete="new-password"
          hint={`At least ${MIN_PASSWORD_LENGTH} characters.`}
          required
          value={password}
          error={fieldErrors.password}
          onChange={(event) => setPassword(event.target.value)}
        />
        <TextField
          label="Confirm new password"
          name="confirmPassword"
          type="password"
          autoComplete="new-password"
          required
          value={confirm}
          error={fieldErrors.confirm}
          onChange={(event) => setConfirm(event.target.value)}
        />
        <ActionMessage state={reset.state} failure="Could not change the password." />
        <div className="button-row">
          <button type="submit" className="button button-primary" disabled={reset.working}>
            {reset.working ? 'Changing…' : 'Set new password'}
          </button>
        </div>
      </form>
    </Card>
  );
}
