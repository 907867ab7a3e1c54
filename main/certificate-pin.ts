import type {
  CertificateErrorListener,
  CertificateInfo,
  CertificateVerifyProc,
} from './types.js';

/** Results for `setCertificateVerifyProc`'s callback (Chromium net error codes). */
export const CERT_ACCEPT = 0;
export const CERT_REJECT = -2;
/** Use the result Chromium's own verification already reached. */
export const CERT_USE_CHROMIUM_RESULT = -3;

/**
 * The embedded server's leaf certificate, trusted for the server's own host names only.
 * The server's CA is not in the system trust store, so without this the window could not
 * load; pinning the exact leaf (not the CA) means nothing else is trusted on its behalf.
 */
export interface CertificatePin {
  /** Host names as `URL.hostname` gives them (`localhost`, `[::1]`, `ehr.example.org`). */
  hosts: readonly string[];
  /** Electron's format: `sha256/<base64 of SHA-256 over the DER>`. */
  fingerprint: string;
}

export function isPinnedCertificate(pin: CertificatePin, hostname: string, certificate: CertificateInfo): boolean {
  return isPinnedHost(pin, hostname) && certificate.fingerprint === pin.fingerprint;
}

/**
 * For `session.setCertificateVerifyProc`: our host with our leaf → accept; our host with any
 * other certificate → reject (even if Chromium would trust it, it is not our server); every
 * other host → Chromium's normal verification.
 */
export function createCertificateVerifyProc(pin: CertificatePin): CertificateVerifyProc {
  return (request, callback) => {
    if (!isPinnedHost(pin, request.hostname)) {
      callback(CERT_USE_CHROMIUM_RESULT);
    } else if (request.certificate.fingerprint === pin.fingerprint) {
      callback(CERT_ACCEPT);
    } else {
      callback(CERT_REJECT);
    }
  };
}

/**
 * For `app.on('certificate-error')`, the fallback path Chromium takes when a certificate
 * fails verification: trust it only if it is our pinned leaf on our host.
 * `getPin` returns undefined until the server has started.
 */
export function createCertificateErrorListener(getPin: () => CertificatePin | undefined): CertificateErrorListener {
  return (event, _webContents, url, _error, certificate, callback) => {
    const pin = getPin();
    const hostname = hostnameOf(url);
    if (pin !== undefined && hostname !== undefined && isPinnedCertificate(pin, hostname, certificate)) {
      event.preventDefault();
      callback(true);
    } else {
      callback(false);
    }
  };
}

function isPinnedHost(pin: CertificatePin, hostname: string): boolean {
  const host = normalizeHost(hostname);
  return pin.hosts.some((pinned) => normalizeHost(pinned) === host);
}

/** Chromium may report IPv6 hosts without brackets; URL.hostname has them. */
function normalizeHost(hostname: string): string {
  return hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');
}

function hostnameOf(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' ? parsed.hostname : undefined;
  } catch {
    return undefined;
  }
}
