import { DataTypes } from 'sequelize';
import type { Migration } from '../migrate.js';

const { INTEGER, STRING, TEXT, DATE, BOOLEAN } = DataTypes;

/** Clients, grants, tokens (access by jti, refresh hashed), codes, launches, assertion jtis, patient API access. */
export const oauthMigration: Migration = {
  name: '0003-oauth-server',
  async up({ queryInterface, transaction }) {
    const opts = { transaction };
    await queryInterface.createTable('oauth_clients', {
      clientId: { type: STRING(100), primaryKey: true },
      clientName: { type: STRING(300), allowNull: false },
      secretHash: { type: STRING(300), allowNull: true },
      tokenEndpointAuthMethod: { type: STRING(40), allowNull: false },
      metadata: { type: TEXT, allowNull: false },
      scope: { type: TEXT, allowNull: false },
      profile: { type: STRING(40), allowNull: false },
      enabled: { type: BOOLEAN, allowNull: false },
      createdAt: { type: DATE, allowNull: false },
      updatedAt: { type: DATE, allowNull: false },
    }, opts);
    await queryInterface.createTable('oauth_grants', {
      id: { type: STRING(64), primaryKey: true },
      clientId: { type: STRING(100), allowNull: false, references: { model: 'oauth_clients', key: 'clientId' }, onDelete: 'CASCADE' },
      userKind: { type: STRING(10), allowNull: false },
      userId: { type: STRING(100), allowNull: false },
      username: { type: STRING(200), allowNull: false },
      scope: { type: TEXT, allowNull: false },
      patientId: { type: STRING(64), allowNull: true },
      encounterId: { type: STRING(64), allowNull: true },
      ehrLaunch: { type: BOOLEAN, allowNull: false, defaultValue: false },
      revokedAt: { type: DATE, allowNull: true },
      createdAt: { type: DATE, allowNull: false },
      updatedAt: { type: DATE, allowNull: false },
    }, opts);
    await queryInterface.addIndex('oauth_grants', ['clientId', 'userKind', 'userId'], opts);
    await queryInterface.createTable('oauth_access_tokens', {
      jti: { type: STRING(64), primaryKey: true },
      clientId: { type: STRING(100), allowNull: false, references: { model: 'oauth_clients', key: 'clientId' }, onDelete: 'CASCADE' },
      grantId: { type: STRING(64), allowNull: true },
      userKind: { type: STRING(10), allowNull: false },
      userId: { type: STRING(100), allowNull: false },
      scope: { type: TEXT, allowNull: false },
      patientId: { type: STRING(64), allowNull: true },
      issuedAt: { type: DATE, allowNull: false },
      expiresAt: { type: DATE, allowNull: false },
      revokedAt: { type: DATE, allowNull: true },
    }, opts);
    await queryInterface.addIndex('oauth_access_tokens', ['clientId', 'issuedAt'], opts);
    await queryInterface.addIndex('oauth_access_tokens', ['grantId'], opts);
    await queryInterface.createTable('oauth_refresh_tokens', {
      tokenHash: { type: STRING(64), primaryKey: true },
      grantId: { type: STRING(64), allowNull: false },
      clientId: { type: STRING(100), allowNull: false },
      scope: { type: TEXT, allowNull: false },
      expiresAt: { type: DATE, allowNull: false },
      usedAt: { type: DATE, allowNull: true },
      revokedAt: { type: DATE, allowNull: true },
      createdAt: { type: DATE, allowNull: false },
    }, opts);
    await queryInterface.addIndex('oauth_refresh_tokens', ['grantId'], opts);
    await queryInterface.createTable('oauth_codes', {
      codeHash: { type: STRING(64), primaryKey: true },
      clientId: { type: STRING(100), allowNull: false },
      redirectUri: { type: TEXT, allowNull: false },
      codeChallenge: { type: STRING(128), allowNull: false },
      scope: { type: TEXT, allowNull: false },
      userKind: { type: STRING(10), allowNull: false },
      userId: { type: STRING(100), allowNull: false },
      username: { type: STRING(200), allowNull: false },
      patientId: { type: STRING(64), allowNull: true },
      encounterId: { type: STRING(64), allowNull: true },
      fhirUser: { type: STRING(300), allowNull: true },
      nonce: { type: TEXT, allowNull: true },
      ehrLaunch: { type: BOOLEAN, allowNull: false, defaultValue: false },
      authTime: { type: DATE, allowNull: false },
      expiresAt: { type: DATE, allowNull: false },
      usedAt: { type: DATE, allowNull: true },
      grantId: { type: STRING(64), allowNull: true },
    }, opts);
    await queryInterface.createTable('oauth_launches', {
      launchHash: { type: STRING(64), primaryKey: true },
      clientId: { type: STRING(100), allowNull: false },
      staffUserId: { type: INTEGER, allowNull: false },
      patientId: { type: STRING(64), allowNull: false },
      encounterId: { type: STRING(64), allowNull: true },
      expiresAt: { type: DATE, allowNull: false },
      usedAt: { type: DATE, allowNull: true },
    }, opts);
    await queryInterface.createTable('oauth_assertion_jtis', {
      key: { type: STRING(400), primaryKey: true },
      expiresAt: { type: DATE, allowNull: false },
    }, opts);
    await queryInterface.createTable('patient_api_access', {
      patientId: { type: STRING(64), primaryKey: true },
      username: { type: STRING(100), allowNull: true, unique: true },
      passwordHash: { type: STRING(300), allowNull: true },
      optedOut: { type: BOOLEAN, allowNull: false, defaultValue: false },
      createdAt: { type: DATE, allowNull: false },
      updatedAt: { type: DATE, allowNull: false },
    }, opts);
  },
};
