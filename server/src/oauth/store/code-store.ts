import { Op } from 'sequelize';
import type { AuthCodeRow, OAuthModels, UserKind } from './models.js';

export interface NewAuthCode {
  codeHash: string;
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  scope: string;
  userKind: UserKind;
  userId: string;
  username: string;
  patientId: string | null;
  encounterId: string | null;
  fhirUser: string | null;
  nonce: string | null;
  ehrLaunch: boolean;
  authTime: Date;
  expiresAt: Date;
}

/** Authorization codes, by hash; single use is enforced with a conditional update. */
export interface CodeStore {
  save(code: NewAuthCode): Promise<void>;
  get(codeHash: string): Promise<AuthCodeRow | null>;
  /** True for the first caller only. */
  consume(codeHash: string): Promise<boolean>;
  linkGrant(codeHash: string, grantId: string): Promise<void>;
}

export class SequelizeCodeStore implements CodeStore {
  constructor(private readonly models: OAuthModels) {}

  async save(code: NewAuthCode): Promise<void> {
    await this.models.AuthCode.create(code);
    // Kept an hour past expiry so that a late replay is still recognised and revokes what it issued.
    await this.models.AuthCode.destroy({ where: { expiresAt: { [Op.lt]: new Date(Date.now() - 3_600_000) } } });
  }

  get(codeHash: string): Promise<AuthCodeRow | null> {
    return this.models.AuthCode.findByPk(codeHash);
  }

  async consume(codeHash: string): Promise<boolean> {
    const [count] = await this.models.AuthCode.update({ usedAt: new Date() }, { where: { codeHash, usedAt: null } });
    return count === 1;
  }

  async linkGrant(codeHash: string, grantId: string): Promise<void> {
    await this.models.AuthCode.update({ grantId }, { where: { codeHash } });
  }
}
