import { randomUUID } from 'node:crypto';
import {
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  importJWK,
  type CryptoKey,
  type JWK,
  type JSONWebKeySet,
} from 'jose';
import type { FoundationModels } from '../db/models/foundation.js';
import type { Logger } from '../log.js';

/** RS256 signs access and id tokens; ES384 is offered for clients and resources that prefer EC. */
export const signingAlgorithms = ['RS256', 'ES384'] as const;
export type SigningAlgorithm = (typeof signingAlgorithms)[number];

export interface SigningKey {
  kid: string;
  alg: SigningAlgorithm;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

/** The server's token-signing keys: created on first start, kept in the database, never exported privately. */
export class SigningKeys {
  private readonly active = new Map<SigningAlgorithm, SigningKey>();
  private readonly published: JWK[] = [];
  private verifier: ReturnType<typeof createLocalJWKSet> | undefined;

  constructor(
    private readonly models: FoundationModels,
    private readonly log: Logger,
  ) {}

  async load(): Promise<void> {
    for (const alg of signingAlgorithms) {
      let row = await this.models.SigningKey.findOne({ where: { alg, retiredAt: null }, order: [['createdAt', 'DESC']] });
      if (!row) {
        const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
        const kid = randomUUID();
        const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
        const privateJwk = { ...(await exportJWK(privateKey)), kid, alg };
        row = await this.models.SigningKey.create({ kid, alg, publicJwk: JSON.stringify(publicJwk), privateJwk: JSON.stringify(privateJwk) });
        this.log.info({ kid, alg }, 'signing key created');
      }
      const publicJwk = JSON.parse(row.publicJwk) as JWK;
      const privateKey = (await importJWK(JSON.parse(row.privateJwk) as JWK, alg)) as CryptoKey;
      this.active.set(alg, { kid: row.kid, alg, privateKey, publicJwk });
      this.published.push(publicJwk);
    }
    this.verifier = undefined;
  }

  signingKey(alg: SigningAlgorithm = 'RS256'): SigningKey {
    const key = this.active.get(alg);
    if (!key) throw new Error(`no ${alg} signing key loaded`);
    return key;
  }

  /** The public JWKS (`/oauth2/jwks`): what resource servers and relying parties verify with. */
  jwks(): JSONWebKeySet {
    return { keys: this.published.map((jwk) => ({ ...jwk })) };
  }

  /** The published keys as a jose key set for `jwtVerify`, built once per load (jose imports each key on first use). */
  verificationKeys(): ReturnType<typeof createLocalJWKSet> {
    this.verifier ??= createLocalJWKSet(this.jwks());
    return this.verifier;
  }
}
