import { createHash, X509Certificate } from 'node:crypto';

function certificateDer(pemOrDer: string | Uint8Array): Buffer {
  return new X509Certificate(pemOrDer).raw;
}

function sha256(der: Buffer): Buffer {
  return createHash('sha256').update(der).digest();
}

/** SHA-256 of the certificate's DER as "AB:CD:…" (the form the banner and the GUI show). */
export function fingerprint256(pemOrDer: string | Uint8Array): string {
  const hex = sha256(certificateDer(pemOrDer)).toString('hex').toUpperCase();
  return hex.replace(/(..)(?!$)/g, '$1:');
}

/** The form Electron's setCertificateVerifyProc reports in `certificate.fingerprint`. */
export function electronFingerprint(pem: string): string {
  return `sha256/${sha256(certificateDer(pem)).toString('base64')}`;
}
