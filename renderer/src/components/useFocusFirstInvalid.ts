import { useEffect } from 'react';
import type { RefObject } from 'react';

/** After a failed submit, moves focus to the first field marked invalid so its message is read out. */
export function useFocusFirstInvalid(form: RefObject<HTMLFormElement | null>, errors: object): void {
  useEffect(() => {
    form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [form, errors]);
}
