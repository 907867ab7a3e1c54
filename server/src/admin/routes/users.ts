import { Router } from 'express';
import { Op } from 'sequelize';
import { z } from 'zod';
import { hashPassword } from '../../auth/password.js';
import type { AppContext } from '../../context.js';
import { systemPolicy } from '../../fhir/access/policy.js';
import { createFhirService } from '../../fhir/api.js';
import { HttpError } from '../../http/errors.js';
import { parseInput } from '../../http/validate.js';
import { createStaffUser, passwordRule, usernameRule } from '../../users/staff-users.js';
import { publicUser, requireRole } from '../middleware.js';

const role = z.enum(['admin', 'clinician']);
const newUser = z.object({
  username: usernameRule,
  displayName: z.string().trim().min(1).max(200),
  password: passwordRule,
  role,
  practitionerId: z.string().regex(/^[A-Za-z0-9\-.]{1,64}$/).optional(),
});
const userChange = z
  .object({ displayName: z.string().trim().min(1).max(200), role, disabled: z.boolean(), password: passwordRule, practitionerId: z.string().regex(/^[A-Za-z0-9\-.]{1,64}$/).nullable() })
  .partial()
  .strict();

async function createPractitioner(ctx: AppContext, displayName: string, actor: string): Promise<string> {
  const words = displayName.split(/\s+/);
  const given = words.slice(0, -1);
  const name = { text: displayName, family: words.at(-1)!, ...(given.length ? { given } : {}) };
  const practitioner = { resourceType: 'Practitioner', active: true, name: [name] };
  const { stored } = await createFhirService(ctx).repository.create(systemPolicy(`InPracSys admin: ${actor}`), practitioner, 'Practitioner');
  return stored.id;
}

const userView = (user: Parameters<typeof publicUser>[0]) => ({ ...publicUser(user), disabled: user.disabled, createdAt: user.createdAt });

/** `/admin/api/users`: staff users (administrators only). */
export function userRoutes(ctx: AppContext): Router {
  const router = Router();
  router.use('/users', requireRole('admin'));

  router.get('/users', async (req, res) => {
    const q = typeof req.query.q === 'string' ? req.query.q.trim() : '';
    const where = q ? { [Op.or]: [{ username: { [Op.like]: `%${q}%` } }, { displayName: { [Op.like]: `%${q}%` } }] } : {};
    const users = await ctx.models.User.findAll({ where, order: [['username', 'ASC']] });
    res.json({ items: users.map(userView), total: users.length });
  });

  router.post('/users', async (req, res) => {
    const input = parseInput(newUser, req.body);
    if (await ctx.models.User.findOne({ where: { username: input.username } })) throw new HttpError(409, `user ${input.username} already exists`);
    // A clinician's fhirUser must resolve, so one without a Practitioner gets one.
    const practitionerId = input.practitionerId ?? (input.role === 'clinician' ? await createPractitioner(ctx, input.displayName, req.staff!.user.username) : undefined);
    const user = await createStaffUser(ctx.models, { ...input, practitionerId });
    await ctx.audit.record({ type: 'user.create', outcome: 'success', actor: req.staff!.user.username, detail: { username: user.username, role: user.role } });
    res.status(201).json(userView(user));
  });

  router.get('/users/:id', async (req, res) => {
    const user = await ctx.models.User.findByPk(Number(req.params.id));
    if (!user) throw new HttpError(404, 'no such user');
    res.json(userView(user));
  });

  router.put('/users/:id', async (req, res) => {
    const change = parseInput(userChange, req.body);
    const user = await ctx.models.User.findByPk(Number(req.params.id));
    if (!user) throw new HttpError(404, 'no such user');
    const demotesSelf = user.id === req.staff!.user.id && (change.disabled === true || change.role === 'clinician');
    if (demotesSelf) throw new HttpError(409, 'you cannot disable or demote your own account');
    const { password, ...fields } = change;
    await user.update({ ...fields, ...(password ? { passwordHash: await hashPassword(password) } : {}) });
    if (change.disabled || password) await ctx.models.AdminSession.destroy({ where: { userId: user.id } });
    await ctx.audit.record({ type: 'user.update', outcome: 'success', actor: req.staff!.user.username, detail: { username: user.username, fields: Object.keys(change) } });
    res.json(userView(user));
  });

  return router;
}
