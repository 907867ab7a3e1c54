import { toHref } from '../router/history';

export function Brand() {
  return (
    <span className="brand">
      <img className="brand-mark" src={toHref('/favicon.svg')} alt="" width="28" height="28" />
      <span className="brand-name">InPracSys EHR</span>
      <span className="brand-tag">Admin</span>
    </span>
  );
}
