import { useId } from 'react';
import type { Ref, TextareaHTMLAttributes } from 'react';

interface TextAreaFieldProps extends Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id' | 'className'> {
  label: string;
  ref?: Ref<HTMLTextAreaElement>;
  hint?: string;
  error?: string;
  mono?: boolean;
  /** One long word, such as a token: wrap anywhere. */
  token?: boolean;
}

export function TextAreaField({ label, hint, error, mono = false, token = false, ...textareaProps }: TextAreaFieldProps) {
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
      <textarea
        id={id}
        className={['input', 'textarea', mono ? 'textarea-mono' : '', token ? 'textarea-token' : ''].filter((name) => name !== '').join(' ')}
        aria-invalid={error !== undefined ? true : undefined}
        aria-describedby={describedBy === '' ? undefined : describedBy}
        {...textareaProps}
      />
      {error !== undefined && (
        <p id={errorId} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}
