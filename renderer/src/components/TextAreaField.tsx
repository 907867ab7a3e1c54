import type { Ref, TextareaHTMLAttributes } from 'react';
import { LabelledField } from './LabelledField';

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
  const className = ['input', 'textarea', mono ? 'textarea-mono' : '', token ? 'textarea-token' : ''].filter((name) => name !== '').join(' ');
  return (
    <LabelledField label={label} hint={hint} error={error}>
      {(control) => <textarea {...control} className={className} {...textareaProps} />}
    </LabelledField>
  );
}
