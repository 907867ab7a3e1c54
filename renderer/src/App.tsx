import { useEffect } from 'react';
import { Alert } from './components/Alert';
import { AuthLayout } from './components/AuthLayout';
import { Loading } from './components/Loading';
import { Shell } from './components/Shell';
import { DashboardPage } from './pages/DashboardPage';
import { LoginPage } from './pages/LoginPage';
import { AdminOnlyPage, NotFoundPage } from './pages/MessagePage';
import { AuditLogPage } from './pages/AuditLogPage';
import { BulkExportsPage } from './pages/BulkExportsPage';
import { ClientPage } from './pages/ClientPage';
import { ClientsPage } from './pages/ClientsPage';
import { FhirSetupPage } from './pages/FhirSetupPage';
import { PatientPage } from './pages/PatientPage';
import { PatientsPage } from './pages/PatientsPage';
import { RegisterClientPage } from './pages/RegisterClientPage';
import { TokenToolsPage } from './pages/TokenToolsPage';
import { UserPage } from './pages/UserPage';
import { UsersPage } from './pages/UsersPage';
import { SetupPage } from './pages/SetupPage';
import { currentAppPath, navigate, safeReturnPath, useLocation } from './router/history';
import { matchPage, pages } from './routes';
import type { User } from './api/types';
import { useSession } from './session/SessionContext';

export function App() {
  const { session, refresh } = useSession();
  const { path, params } = useLocation();

  // The setup page works without a session: it is how the first session comes to exist.
  if (path === '/setup') {
    return <SetupPage token={params.get('token')} />;
  }

  switch (session.status) {
    case 'loading':
      return (
        <AuthLayout title="Loading">
          <Loading label="Checking your session…" />
        </AuthLayout>
      );
    case 'unavailable':
      return (
        <AuthLayout title="Cannot reach the server">
          <Alert tone="error" title="Could not check your session.">
            <p>{session.message}</p>
            <button type="button" className="button button-secondary" onClick={refresh}>
              Try again
            </button>
          </Alert>
        </AuthLayout>
      );
    case 'anonymous':
      if (path !== '/login') {
        // Remember where the user was going, and come back there after logging in.
        const here = currentAppPath();
        return <Redirect to={here === '/' ? '/login' : `/login?next=${encodeURIComponent(here)}`} />;
      }
      return <LoginPage sessionExpired={session.expired} />;
    case 'authenticated':
      if (path === '/login') {
        return <Redirect to={safeReturnPath(params.get('next'))} />;
      }
      return (
        <Shell user={session.user} currentPath={path}>
          <Page path={path} user={session.user} />
        </Shell>
      );
  }
}

function Page({ path, user }: { path: string; user: User }) {
  const match = matchPage(path);
  if (match === undefined) {
    return <NotFoundPage />;
  }
  const { page, rest } = match;
  if (page.adminOnly && user.role !== 'admin') {
    return <AdminOnlyPage title={page.title} trail={page.trail} />;
  }
  const [id, ...deeper] = rest;
  if (deeper.length > 0) {
    return <NotFoundPage />;
  }
  switch (page) {
    case pages.dashboard:
      return <DashboardPage isAdmin={user.role === 'admin'} />;
    case pages.fhirSetup:
      return id === undefined ? <FhirSetupPage /> : <NotFoundPage />;
    case pages.apiClients:
      if (id === 'new') {
        return <RegisterClientPage />;
      }
      return id === undefined ? <ClientsPage /> : <ClientPage key={id} clientId={id} />;
    case pages.tokenTools:
      return id === undefined ? <TokenToolsPage /> : <NotFoundPage />;
    case pages.users:
      return id === undefined ? <UsersPage /> : <UserPage key={id} userId={id} currentUser={user} />;
    case pages.auditLog:
      return id === undefined ? <AuditLogPage /> : <NotFoundPage />;
    case pages.patients:
      return id === undefined ? <PatientsPage isAdmin={user.role === 'admin'} /> : <PatientPage key={id} patientId={id} isAdmin={user.role === 'admin'} />;
    case pages.bulkExports:
      return id === undefined ? <BulkExportsPage /> : <NotFoundPage />;
    default:
      return <NotFoundPage />;
  }
}

/** Replaces the current history entry; navigation is a side effect, so it runs after render. */
function Redirect({ to }: { to: string }) {
  useEffect(() => {
    navigate(to, { replace: true });
  }, [to]);
  return null;
}
