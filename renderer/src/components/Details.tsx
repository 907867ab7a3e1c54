import { Fragment } from 'react';
import type { ReactNode } from 'react';
import type { Settings } from '../api/types';
import { formatDate } from '../format';
import { CopyButton } from './CopyButton';

/** A list of labelled values; `stacked` puts each label above its value. */
export function Details({ stacked = false, children }: { stacked?: boolean; children: ReactNode }) {
  return <dl className={stacked ? 'details details-stacked' : 'details'}>{children}</dl>;
}

export function Detail({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="detail">
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  );
}

interface CopyableDetailProps {
  term: string;
  value: string;
  copyLabel?: string;
  id?: string;
  /** Colon-separated hex: shown in rows of eight bytes, easy to compare by eye. */
  fingerprint?: boolean;
}

export function CopyableDetail({ term, value, copyLabel = term, id, fingerprint = false }: CopyableDetailProps) {
  return (
    <div className="detail">
      <dt>{term}</dt>
      <dd className="detail-copyable">
        {fingerprint ? (
          <FingerprintValue id={id} value={value} />
        ) : (
          <code id={id} className="value">
            {value}
          </code>
        )}
        <CopyButton value={value} label={copyLabel} />
      </dd>
    </div>
  );
}

const BYTES_PER_ROW = 8;

/** Its text content stays exactly `value`: the rows and break points add no characters. */
function FingerprintValue({ id, value }: { id?: string; value: string }) {
  const bytes = value.split(':');
  const rows: string[][] = [];
  for (let start = 0; start < bytes.length; start += BYTES_PER_ROW) {
    rows.push(bytes.slice(start, start + BYTES_PER_ROW));
  }
  return (
    <code id={id} className="value value-fingerprint">
      {rows.map((row, rowIndex) => (
        <span key={rowIndex} className="fingerprint-row">
          {row.map((byte, byteIndex) => {
            const last = rowIndex === rows.length - 1 && byteIndex === row.length - 1;
            return (
              <Fragment key={byteIndex}>
                {last ? byte : `${byte}:`}
                <wbr />
              </Fragment>
            );
          })}
        </span>
      ))}
    </code>
  );
}

/** The server's TLS certificate: the names it is valid for, its expiry and its fingerprint. */
export function CertificateDetails({ tls, stacked = false }: { tls: Settings['tls']; stacked?: boolean }) {
  return (
    <Details stacked={stacked}>
      <Detail term="Names">
        {tls.sans.length === 0 ? (
          <span className="muted">None listed</span>
        ) : (
          <ul className="chips" aria-label="Names the certificate is valid for">
            {tls.sans.map((name) => (
              <li key={name} className="chip">
                {name}
              </li>
            ))}
          </ul>
        )}
      </Detail>
      <Detail term="Valid until">{formatDate(tls.notAfter)}</Detail>
      <CopyableDetail term="Fingerprint (SHA-256)" value={tls.leafFingerprint256} copyLabel="server certificate fingerprint" fingerprint />
    </Details>
  );
}
