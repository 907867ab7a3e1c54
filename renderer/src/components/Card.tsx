import { useId } from 'react';
import type { ReactNode } from 'react';

interface CardProps {
  title: string;
  description?: ReactNode;
  className?: string;
  children: ReactNode;
}

export function Card({ title, description, className, children }: CardProps) {
  const headingId = useId();
  return (
    <section className={className === undefined ? 'card' : `card ${className}`} aria-labelledby={headingId}>
      <h2 id={headingId} className="card-title">
        {title}
      </h2>
      {description !== undefined && <p className="card-description">{description}</p>}
      {children}
    </section>
  );
}
