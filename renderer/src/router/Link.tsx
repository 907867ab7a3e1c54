import type { AnchorHTMLAttributes, MouseEvent } from 'react';
import { navigate, toHref } from './history';

interface LinkProps extends Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> {
  /** App path below /admin, e.g. "/clients". */
  to: string;
}

/** An ordinary link that navigates in place; modified clicks (new tab, …) behave as usual. */
export function Link({ to, onClick, ...rest }: LinkProps) {
  function handleClick(event: MouseEvent<HTMLAnchorElement>): void {
    onClick?.(event);
    if (
      event.defaultPrevented ||
      event.button !== 0 ||
      event.metaKey ||
      event.ctrlKey ||
      event.shiftKey ||
      event.altKey ||
      (rest.target !== undefined && rest.target !== '_self')
    ) {
      return;
    }
    event.preventDefault();
    navigate(to);
  }

  return <a href={toHref(to)} onClick={handleClick} {...rest} />;
}
