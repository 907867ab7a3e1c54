import { Router } from 'express';
import { Op, type WhereOptions } from 'sequelize';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import type { AuditEventRow } from '../../db/models/foundation.js';
import { parseInput } from '../../http/validate.js';
import { requireRole } from '../middleware.js';

const auditQuery = z.object({
  type: z.string().max(60).optional(),
  outcome: z.enum(['success', 'failure']).optional(),
  actor: z.string().max(200).optional(),
  clientId: z.string().max(100).optional(),
  patientId: z.string().max(64).optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  until: z.iso.datetime({ offset: true }).optional(),
  /** Keyset paging: events older than this id. */
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** `GET /admin/api/audit`: audit events, newest first, filterable (administrators only). */
export function auditRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get('/audit', requireRole('admin'), async (req, res) => {
    const query = parseInput(auditQuery, req.query);
    const where: WhereOptions<AuditEventRow> = {
      ...(query.type ? { type: { [Op.startsWith]: query.type } } : {}),
      ...(query.outcome ? { outcome: query.outcome } : {}),
      ...(query.actor ? { actor: query.actor } : {}),
      ...(query.clientId ? { clientId: query.clientId } : {}),
      ...(query.patientId ? { patientId: query.patientId } : {}),
      ...(query.before ? { id: { [Op.lt]: query.before } } : {}),
      ...(query.since || query.until
        ? { recorded: { ...(query.since ? { [Op.gte]: new Date(query.since) } : {}), ...(query.until ? { [Op.lt]: new Date(query.until) } : {}) } }
        : {}),
    };
    const [events, total] = await Promise.all([
      ctx.models.AuditEvent.findAll({ where, order: [['id', 'DESC']], limit: query.limit }),
      ctx.models.AuditEvent.count({ where }),
    ]);
    const items = events.map((event) => ({
      id: event.id,
      recorded: event.recorded.toISOString(),
      type: event.type,
      outcome: event.outcome,
      actor: event.actor,
      clientId: event.clientId,
      patientId: event.patientId,
      ip: event.ip,
      detail: event.detail ? (JSON.parse(event.detail) as unknown) : null,
    }));
    const last = items.at(-1);
    res.json({ items, total, next: items.length === query.limit && last ? last.id : null });
  });
  return router;
}
