import {
  DataTypes,
  type CreationOptional,
  type ModelStatic,
  type Sequelize,
} from 'sequelize';
import type { Row } from '../../db/models/row.js';

const { STRING, TEXT, DATE, BOOLEAN } = DataTypes;

export type UserKind = 'patient' | 'staff' | 'system';

export type ClientRow = Row<{
  clientId: string;
  clientName: string;
  /** scrypt hash of the secret for client_secret_basic/_post clients. */
  secretHash: CreationOptional<string | null>;
  tokenEndpointAuthMethod: string;
  /** The registered metadata as answered by registration (RFC 7591 snake_case JSON). */
  metadata: string;
  scope: string;
  profile: string;
  enabled: boolean;
  createdAt: CreationOptional<Date>;
  updatedAt: CreationOptional<Date>;
}>;

export type GrantRow = Row<{
  id: string;
  clientId: string;
  userKind: UserKind;
  userId: string;
  username: string;
  scope: string;
  patientId: CreationOptional<string | null>;
  encounterId: CreationOptional<string | null>;
  /** Authorized through an EHR launch: the EHR shows the patient banner. */
  ehrLaunch: CreationOptional<boolean>;
  revokedAt: CreationOptional<Date | null>;
  createdAt: CreationOptional<Date>;
  updatedAt: CreationOptional<Date>;
}>;

export type AccessTokenRow = Row<{
  jti: string;
  clientId: string;
  grantId: CreationOptional<string | null>;
  userKind: UserKind;
  userId: string;
  scope: string;
  patientId: CreationOptional<string | null>;
  issuedAt: Date;
  expiresAt: Date;
  revokedAt: CreationOptional<Date | null>;
}>;

export type RefreshTokenRow = Row<{
  tokenHash: string;
  /** Public identifier (migration 0006) for listing and revoking; never the token or its hash. */
  id: CreationOptional<string>;
  grantId: string;
  clientId: string;
  scope: string;
  expiresAt: Date;
  /** Set when rotated: presenting it again is reuse. */
  usedAt: CreationOptional<Date | null>;
  revokedAt: CreationOptional<Date | null>;
  createdAt: CreationOptional<Date>;
}>;

export type AuthCodeRow = Row<{
  codeHash: string;
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  scope: string;
  userKind: UserKind;
  userId: string;
  username: string;
  patientId: CreationOptional<string | null>;
  encounterId: CreationOptional<string | null>;
  fhirUser: CreationOptional<string | null>;
  nonce: CreationOptional<string | null>;
  /** An EHR launch: the EHR shows the patient banner, so need_patient_banner is false. */
  ehrLaunch: boolean;
  authTime: Date;
  expiresAt: Date;
  usedAt: CreationOptional<Date | null>;
  /** The grant created when the code was exchanged: a replay revokes it. */
  grantId: CreationOptional<string | null>;
}>;

export type LaunchRow = Row<{
  launchHash: string;
  clientId: string;
  staffUserId: number;
  patientId: string;
  encounterId: CreationOptional<string | null>;
  expiresAt: Date;
  usedAt: CreationOptional<Date | null>;
}>;

export type AssertionJtiRow = Row<{ key: string; expiresAt: Date }>;

export type PatientAccessRow = Row<{
  patientId: string;
  username: CreationOptional<string | null>;
  passwordHash: CreationOptional<string | null>;
  optedOut: boolean;
  createdAt: CreationOptional<Date>;
  updatedAt: CreationOptional<Date>;
}>;

export interface OAuthModels {
  Client: ModelStatic<ClientRow>;
  Grant: ModelStatic<GrantRow>;
  AccessToken: ModelStatic<AccessTokenRow>;
  RefreshToken: ModelStatic<RefreshTokenRow>;
  AuthCode: ModelStatic<AuthCodeRow>;
  Launch: ModelStatic<LaunchRow>;
  AssertionJti: ModelStatic<AssertionJtiRow>;
  PatientAccess: ModelStatic<PatientAccessRow>;
}

/** Binds the OAuth tables (created by migration 0003-oauth-server) to one database. */
export function defineOAuthModels(sequelize: Sequelize): OAuthModels {
  const Client = sequelize.define<ClientRow>(
    'OAuthClient',
    {
      clientId: { type: STRING, primaryKey: true },
      clientName: { type: STRING, allowNull: false },
      secretHash: { type: STRING, allowNull: true },
      tokenEndpointAuthMethod: { type: STRING, allowNull: false },
      metadata: { type: TEXT, allowNull: false },
      scope: { type: TEXT, allowNull: false },
      profile: { type: STRING, allowNull: false },
      enabled: { type: BOOLEAN, allowNull: false },
      createdAt: DATE,
      updatedAt: DATE,
    },
    { tableName: 'oauth_clients' },
  );
  const Grant = sequelize.define<GrantRow>(
    'OAuthGrant',
    {
      id: { type: STRING, primaryKey: true },
      clientId: { type: STRING, allowNull: false },
      userKind: { type: STRING, allowNull: false },
      userId: { type: STRING, allowNull: false },
      username: { type: STRING, allowNull: false },
      scope: { type: TEXT, allowNull: false },
      patientId: STRING,
      encounterId: STRING,
      ehrLaunch: { type: BOOLEAN, allowNull: false, defaultValue: false },
      revokedAt: DATE,
      createdAt: DATE,
      updatedAt: DATE,
    },
    { tableName: 'oauth_grants' },
  );
  const AccessToken = sequelize.define<AccessTokenRow>(
    'OAuthAccessToken',
    {
      jti: { type: STRING, primaryKey: true },
      clientId: { type: STRING, allowNull: false },
      grantId: STRING,
      userKind: { type: STRING, allowNull: false },
      userId: { type: STRING, allowNull: false },
      scope: { type: TEXT, allowNull: false },
      patientId: STRING,
      issuedAt: { type: DATE, allowNull: false },
      expiresAt: { type: DATE, allowNull: false },
      revokedAt: DATE,
    },
    { tableName: 'oauth_access_tokens', timestamps: false },
  );
  const RefreshToken = sequelize.define<RefreshTokenRow>(
    'OAuthRefreshToken',
    {
      tokenHash: { type: STRING, primaryKey: true },
      id: { type: STRING, allowNull: false, unique: true, defaultValue: DataTypes.UUIDV4 },
      grantId: { type: STRING, allowNull: false },
      clientId: { type: STRING, allowNull: false },
      scope: { type: TEXT, allowNull: false },
      expiresAt: { type: DATE, allowNull: false },
      usedAt: DATE,
      revokedAt: DATE,
      createdAt: DATE,
    },
    { tableName: 'oauth_refresh_tokens', updatedAt: false },
  );
  const AuthCode = sequelize.define<AuthCodeRow>(
    'OAuthAuthCode',
    {
      codeHash: { type: STRING, primaryKey: true },
      clientId: { type: STRING, allowNull: false },
      redirectUri: { type: TEXT, allowNull: false },
      codeChallenge: { type: STRING, allowNull: false },
      scope: { type: TEXT, allowNull: false },
      userKind: { type: STRING, allowNull: false },
      userId: { type: STRING, allowNull: false },
      username: { type: STRING, allowNull: false },
      patientId: STRING,
      encounterId: STRING,
      fhirUser: STRING,
      nonce: TEXT,
      ehrLaunch: { type: BOOLEAN, allowNull: false },
      authTime: { type: DATE, allowNull: false },
      expiresAt: { type: DATE, allowNull: false },
      usedAt: DATE,
      grantId: STRING,
    },
    { tableName: 'oauth_codes', timestamps: false },
  );
  const Launch = sequelize.define<LaunchRow>(
    'OAuthLaunch',
    {
      launchHash: { type: STRING, primaryKey: true },
      clientId: { type: STRING, allowNull: false },
      staffUserId: { type: DataTypes.INTEGER, allowNull: false },
      patientId: { type: STRING, allowNull: false },
      encounterId: STRING,
      expiresAt: { type: DATE, allowNull: false },
      usedAt: DATE,
    },
    { tableName: 'oauth_launches', timestamps: false },
  );
  const AssertionJti = sequelize.define<AssertionJtiRow>(
    'OAuthAssertionJti',
    { key: { type: STRING, primaryKey: true }, expiresAt: { type: DATE, allowNull: false } },
    { tableName: 'oauth_assertion_jtis', timestamps: false },
  );
  const PatientAccess = sequelize.define<PatientAccessRow>(
    'PatientApiAccess',
    {
      patientId: { type: STRING, primaryKey: true },
      username: { type: STRING, allowNull: true, unique: true },
      passwordHash: STRING,
      optedOut: { type: BOOLEAN, allowNull: false, defaultValue: false },
      createdAt: DATE,
      updatedAt: DATE,
    },
    { tableName: 'patient_api_access' },
  );
  return { Client, Grant, AccessToken, RefreshToken, AuthCode, Launch, AssertionJti, PatientAccess };
}
