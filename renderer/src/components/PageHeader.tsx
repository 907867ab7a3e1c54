import { useEffect } from 'react';
import type { ReactNode } from 'react';

interface PageHeaderProps {
  title: string;
  /** Menu groups above the page: ["Admin", "System"]. */
  trail?: string[];
  subtitle?: ReactNode;
  actions?: ReactNode;
}

/** The page's h1; it also names the browser tab. The shell moves focus here on navigation. */
export function PageHeader({ title, trail = [], subtitle, actions }: PageHeaderProps) {
  useDocumentTitle(title);
  return (
    <header className="page-header">
      <div>
        {trail.length > 0 && <p className="page-trail">{trail.join(' › ')}</p>}
        <h1 id="page-title" tabIndex={-1}>
          {title}
        </h1>
        {subtitle !== undefined && <p className="page-subtitle">{subtitle}</p>}
      </div>
      {actions !== undefined && <div className="page-actions">{actions}</div>}
    </header>
  );
}

export function useDocumentTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · InPracSys EHR Admin`;
  }, [title]);
}
