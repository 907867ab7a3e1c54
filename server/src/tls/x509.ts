// @peculiar/x509 resolves its services through tsyringe, which needs the Reflect metadata
// polyfill loaded before the library itself; keep this import first.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';

// Node's own WebCrypto signs and generates keys: no hand-written crypto, no openssl.
// globalThis.crypto is node:crypto's webcrypto; referring to it this way type-checks under both
// the Node-only and the DOM lib (the library's parameter is typed as the DOM Crypto).
x509.cryptoProvider.set(globalThis.crypto);

export { x509 };
