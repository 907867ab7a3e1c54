import { randomUUID } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import type { AppContext } from '../../context.js';
import { FhirError } from '../../http/errors.js';
import { policyForAccess } from '../access/guard.js';
import type { FhirService } from '../http/service.js';
import { bulkAccess, requireScope } from './access.js';
import type { BulkJobKind } from './models.js';
import { syncPractitionerPanels } from './panels.js';
import { checkTypeFilterAccess, parseExportParams, requestPairs } from './params.js';
import { bulkExports } from './services.js';

const operationScope = { system: '*', patient: 'Patient', group: 'Group' } as const;

/** Bulk Data 2.0 kick-off headers: a FHIR JSON Accept and an asynchronous Prefer. */
function checkAsyncHeaders(req: Request): void {
  if (!(req.get('accept') ?? '').toLowerCase().includes('application/fhir+json')) {
    throw new FhirError(400, 'a bulk export needs the header Accept: application/fhir+json', 'invalid');
  }
  if (!(req.get('prefer') ?? '').toLowerCase().includes('respond-async')) {
    throw new FhirError(400, 'a bulk export needs the header Prefer: respond-async', 'invalid');
  }
}

/** A stored Group's active Patient members (`member.entity`, practitioner panels included), confined to `patient` when that was given too. */
async function groupMembers(service: FhirService, groupId: string, only: string[] | undefined): Promise<string[]> {
  const group = await service.repository.store.current('Group', groupId);
  if (!group || group.deleted) throw new FhirError(404, `Group/${groupId} is not known`, 'not-found');
  const members = (group.resource.member as { entity?: { reference?: string }; inactive?: boolean }[] | undefined) ?? [];
  const ids = members
    .filter((member) => !member.inactive)
    .map((member) => /(?:^|\/)Patient\/([^/]+)$/.exec(member.entity?.reference ?? '')?.[1])
    .filter((id): id is string => id !== undefined);
  return only ? ids.filter((id) => only.includes(id)) : ids;
}

/** `$export` at system, Patient or Group level: validates, queues a job and answers 202 with its status URL. */
export function kickOff(ctx: Pick<AppContext, 'sequelize' | 'config' | 'settings'>, service: FhirService, kind: BulkJobKind): RequestHandler {
  return async (req, res) => {
    const access = bulkAccess(res);
    checkAsyncHeaders(req);
    const scope = operationScope[kind];
    requireScope(access.scopes.allowsOperation('$export', scope), `system/${scope}.$export`);
    const params = parseExportParams(service, requestPairs(req), access.scopes.toString());
    if (kind === 'system' && params.patients) throw new FhirError(400, 'the patient parameter applies to Patient and Group exports', 'invalid');
    checkTypeFilterAccess(service, params.typeFilters, policyForAccess(access));
    // the panels exported (as Groups, or as the Group exported) are the current ones
    await syncPractitionerPanels(service);
    const groupId = kind === 'group' ? String(req.params.id) : null;
    if (groupId) params.patients = await groupMembers(service, groupId, params.patients);

    const bulk = bulkExports(ctx);
    const id = randomUUID();
    const now = new Date();
    const created = await bulk.jobs.create(
      {
        id,
        clientId: access.clientId,
        subject: access.subject,
        kind,
        groupId,
        requestUrl: `${service.base()}${req.path}${req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?')) : ''}`,
        params: JSON.stringify(params),
        transactionTime: now.toISOString(),
        createdAt: now,
        // a job that never completes is cleaned up too
        expiresAt: new Date(now.getTime() + bulk.limits().retentionMs),
      },
      bulk.maxActivePerClient,
    );
    if (!created) throw new FhirError(429, `at most ${bulk.maxActivePerClient} exports may run at once per client`, 'throttled', { 'Retry-After': '30' });
    bulk.wake();
    res.status(202).set('Content-Location', `${service.base()}/$bulkdata-status?job=${id}`).end();
  };
}
