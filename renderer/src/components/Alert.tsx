import type { ReactNode } from 'react';

interface AlertProps {
  tone: 'error' | 'info' | 'success' | 'warning';
  title?: string;
  children: ReactNode;
}

/** A message box. Errors and warnings are announced at once; the others politely. */
export function Alert({ tone, title, children }: AlertProps) {
  const urgent = tone === 'error' || tone === 'warning';
  return (
    <div className={`alert alert-${tone}`} role={urgent ? 'alert' : 'status'}>
      {title !== undefined && <p className="alert-title">{title}</p>}
      <div className="alert-body">{children}</div>
    </div>
  );
}
