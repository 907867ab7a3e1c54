import type { ReactNode } from 'react';
import { Brand } from './Brand';
import { useDocumentTitle } from './PageHeader';

interface AuthLayoutProps {
  title: string;
  intro?: ReactNode;
  children: ReactNode;
}

/** The frame for pages shown before anyone is signed in: log in and first-admin setup. */
export function AuthLayout({ title, intro, children }: AuthLayoutProps) {
  useDocumentTitle(title);
  return (
    <div className="auth">
      <header className="auth-header">
        <Brand />
      </header>
      <main id="main" className="auth-main">
        <div className="auth-card">
          <h1 id="page-title" tabIndex={-1}>
            {title}
          </h1>
          {intro !== undefined && <div className="auth-intro">{intro}</div>}
          {children}
        </div>
      </main>
      <footer className="auth-footer">
        <p>This server keeps patient records. Use it only if you work at this practice.</p>
      </footer>
    </div>
  );
}
