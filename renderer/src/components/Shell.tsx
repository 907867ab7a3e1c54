import { useEffect, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import type { User } from '../api/types';
import { menu } from '../routes';
import { useSession } from '../session/SessionContext';
import { Alert } from './Alert';
import { Brand } from './Brand';
import { Menu } from './Menu';

interface ShellProps {
  user: User;
  currentPath: string;
  children: ReactNode;
}

/** The signed-in frame: top bar, left menu, and the page in <main>. */
export function Shell({ user, currentPath, children }: ShellProps) {
  const { logOut } = useSession();
  const [logOutError, setLogOutError] = useState<string>();
  const [loggingOut, setLoggingOut] = useState(false);
  useFocusHeadingOnNavigation(currentPath);

  async function handleLogOut(): Promise<void> {
    setLoggingOut(true);
    setLogOutError(undefined);
    try {
      await logOut();
    } catch (error) {
      setLogOutError(error instanceof Error ? error.message : String(error));
      setLoggingOut(false);
    }
  }

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to main content
      </a>
      <header className="topbar">
        <Brand />
        <div className="topbar-user">
          <span className="topbar-who">
            <span className="visually-hidden">Signed in as </span>
            <span className="topbar-name">{user.displayName || user.username}</span>
            <span className="topbar-username">{user.username}</span>
          </span>
          <button type="button" className="button button-secondary button-small" onClick={() => void handleLogOut()} disabled={loggingOut}>
            {loggingOut ? 'Logging out…' : 'Log out'}
          </button>
        </div>
      </header>
      <div className="layout">
        <Menu entries={menu} currentPath={currentPath} role={user.role} />
        <main id="main" className="main" tabIndex={-1}>
          {logOutError !== undefined && (
            <Alert tone="error" title="Could not log out.">
              {logOutError}
            </Alert>
          )}
          {children}
        </main>
      </div>
    </div>
  );
}

/** After in-app navigation, put keyboard and screen-reader focus on the new page's heading. */
function useFocusHeadingOnNavigation(path: string): void {
  const firstRender = useRef(true);
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    document.getElementById('page-title')?.focus();
  }, [path]);
}
