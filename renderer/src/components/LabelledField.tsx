import { useId } from 'react';
import type { ReactNode } from 'react';

/** The attributes that tie a control to its label, hint and error. */
export interface ControlAttributes {
  id: string;
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
}

interface LabelledFieldProps {
  label: string;
  hint?: string | undefined;
  /** A problem with this field, shown under it and tied to it for screen readers. */
  error?: string | undefined;
  children: (control: ControlAttributes) => ReactNode;
}

/** Label, hint, control and error, wired together for screen readers; one frame for every field kind. */
export function LabelledField({ label, hint, error, children }: LabelledFieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint !== undefined ? hintId : undefined, error !== undefined ? errorId : undefined]
    .filter((part) => part !== undefined)
    .join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint !== undefined && (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      )}
      {children({ id, 'aria-invalid': error !== undefined ? true : undefined, 'aria-describedby': describedBy === '' ? undefined : describedBy })}
      {error !== undefined && (
        <p id={errorId} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}
