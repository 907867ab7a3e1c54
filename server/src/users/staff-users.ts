import { UniqueConstraintError } from 'sequelize';
import { z } from 'zod';
import { hashPassword } from '../auth/password.js';
import type { FoundationModels, StaffRole, UserRow } from '../db/models/foundation.js';
import { HttpError } from '../http/errors.js';

export const usernameRule = z
  .string()
  .min(2)
  .max(100)
  .regex(/^[A-Za-z0-9._@-]+$/, 'letters, digits and . _ @ - only');
export const passwordRule = z.string().min(10, 'at least 10 characters').max(1000);

export interface NewStaffUser {
  username: string;
  displayName: string;
  password: string;
  role: StaffRole;
  practitionerId?: string | null;
}

export async function createStaffUser(models: FoundationModels, input: NewStaffUser): Promise<UserRow> {
  try {
    return await models.User.create({
      username: input.username,
      displayName: input.displayName,
      role: input.role,
      practitionerId: input.practitionerId ?? null,
      passwordHash: await hashPassword(input.password),
    });
  } catch (error) {
    if (error instanceof UniqueConstraintError) throw new HttpError(409, `user ${input.username} already exists`);
    throw error;
  }
}
