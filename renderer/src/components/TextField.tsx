import type { InputHTMLAttributes, Ref } from 'react';
import { LabelledField } from './LabelledField';

interface TextFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'className'> {
  label: string;
  ref?: Ref<HTMLInputElement>;
  hint?: string;
  /** A problem with this field, shown under it and tied to it for screen readers. */
  error?: string;
}

export function TextField({ label, hint, error, ...inputProps }: TextFieldProps) {
  return (
    <LabelledField label={label} hint={hint} error={error}>
      {(control) => <input {...control} className="input" {...inputProps} />}
    </LabelledField>
  );
}
