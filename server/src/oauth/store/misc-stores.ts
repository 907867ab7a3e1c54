import { Op, UniqueConstraintError } from 'sequelize';
import type { LaunchRow, OAuthModels, PatientAccessRow } from './models.js';

/** EHR launch contexts (DESIGN §10): 5 minutes, single use, bound to the staff user. */
export interface LaunchStore {
  create(launch: { launchHash: string; clientId: string; staffUserId: number; patientId: string; encounterId: string | null; expiresAt: Date }): Promise<void>;
  get(launchHash: string): Promise<LaunchRow | null>;
  consume(launchHash: string): Promise<boolean>;
}

export class SequelizeLaunchStore implements LaunchStore {
  constructor(private readonly models: OAuthModels) {}

  async create(launch: { launchHash: string; clientId: string; staffUserId: number; patientId: string; encounterId: string | null; expiresAt: Date }): Promise<void> {
    await this.models.Launch.create(launch);
  }

  get(launchHash: string): Promise<LaunchRow | null> {
    return this.models.Launch.findByPk(launchHash);
  }

  async consume(launchHash: string): Promise<boolean> {
    const [count] = await this.models.Launch.update({ usedAt: new Date() }, { where: { launchHash, usedAt: null } });
    return count === 1;
  }
}

/** Client assertion `jti`s seen (RFC 7523 §3): kept until the assertion would have expired. */
export interface AssertionJtiStore {
  /** False when this key was already seen. */
  remember(key: string, expiresAt: Date): Promise<boolean>;
}

export class SequelizeAssertionJtiStore implements AssertionJtiStore {
  constructor(private readonly models: OAuthModels) {}

  async remember(key: string, expiresAt: Date): Promise<boolean> {
    await this.models.AssertionJti.destroy({ where: { expiresAt: { [Op.lt]: new Date() } } });
    try {
      await this.models.AssertionJti.create({ key, expiresAt });
      return true;
    } catch (error) {
      if (error instanceof UniqueConstraintError) return false;
      throw error;
    }
  }
}

/**
 * Patients' third-party API access: their API credentials (password hashed) and opt-out,
 * keyed by FHIR Patient id. Kept apart from the FHIR store so the OAuth server does not
 * depend on it.
 */
export interface PatientAccessStore {
  get(patientId: string): Promise<PatientAccessRow | null>;
  findByUsername(username: string): Promise<PatientAccessRow | null>;
  setCredentials(patientId: string, username: string, passwordHash: string): Promise<PatientAccessRow>;
  setOptOut(patientId: string, optedOut: boolean): Promise<PatientAccessRow>;
  list(): Promise<PatientAccessRow[]>;
}

export class SequelizePatientAccessStore implements PatientAccessStore {
  constructor(private readonly models: OAuthModels) {}

  get(patientId: string): Promise<PatientAccessRow | null> {
    return this.models.PatientAccess.findByPk(patientId);
  }

  findByUsername(username: string): Promise<PatientAccessRow | null> {
    return this.models.PatientAccess.findOne({ where: { username } });
  }

  async setCredentials(patientId: string, username: string, passwordHash: string): Promise<PatientAccessRow> {
    const [row] = await this.models.PatientAccess.findOrCreate({ where: { patientId }, defaults: { patientId, optedOut: false } });
    return row.update({ username, passwordHash });
  }

  async setOptOut(patientId: string, optedOut: boolean): Promise<PatientAccessRow> {
    const [row] = await this.models.PatientAccess.findOrCreate({ where: { patientId }, defaults: { patientId, optedOut } });
    return row.update({ optedOut });
  }

  list(): Promise<PatientAccessRow[]> {
    return this.models.PatientAccess.findAll({ order: [['patientId', 'ASC']] });
  }
}
