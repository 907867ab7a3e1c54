import { createHash } from 'node:crypto';
import type { Sequelize } from 'sequelize';
import { systemPolicy } from '../access/policy.js';
import type { FhirService } from '../http/service.js';
import { resourceColumns, type FhirJson } from '../storage/fhir-store.js';
import { rawSql, sql } from '../storage/sql.js';

/**
 * Practitioner panels: one Group per Practitioner whose members are the patients naming that
 * practitioner in `Patient.generalPractitioner`. The server writes them (tagged, so it only
 * ever changes its own) and they export like any stored Group with `Group/{id}/$export`.
 */
export const panelTag = { system: 'https://inpracsys.example.org/fhir/CodeSystem/group-origin', code: 'practitioner-panel', display: 'Practitioner panel maintained by the server' };
const columns = rawSql(resourceColumns);
const criterion = { system: 'https://inpracsys.example.org/fhir/CodeSystem/group-characteristic', code: 'general-practitioner', display: 'General practitioner' };

/** `panel-<practitioner id>`, or a digest of it when that would pass the 64 characters a FHIR id may have. */
export function panelId(practitionerId: string): string {
  const id = `panel-${practitionerId}`;
  return id.length <= 64 ? id : `panel-${createHash('sha256').update(practitionerId).digest('hex').slice(0, 40)}`;
}

function practitionerName(practitioner: FhirJson): string {
  const name = (practitioner.name as { text?: string; given?: string[]; family?: string }[] | undefined)?.[0];
  const text = name?.text ?? [...(name?.given ?? []), name?.family].filter(Boolean).join(' ');
  return text || `Practitioner/${String(practitioner.id)}`;
}

function panelGroup(practitioner: FhirJson, members: readonly string[]): FhirJson {
  const reference = `Practitioner/${String(practitioner.id)}`;
  return {
    resourceType: 'Group',
    id: panelId(String(practitioner.id)),
    meta: { tag: [panelTag] },
    type: 'person',
    actual: true,
    name: `Panel of ${practitionerName(practitioner)}`,
    managingEntity: { reference },
    characteristic: [{ code: { coding: [criterion], text: 'Patients whose general practitioner this is' }, valueReference: { reference }, exclude: false }],
    quantity: members.length,
    member: members.map((patientId) => ({ entity: { reference: `Patient/${patientId}` } })),
  };
}

/** What a panel says, for telling whether it needs writing. */
function contentOf(group: FhirJson): string {
  const { name, managingEntity, member } = group;
  return JSON.stringify({ name, managingEntity, member: member ?? [] });
}

function isPanel(group: FhirJson): boolean {
  const tags = ((group.meta as { tag?: { system?: string; code?: string }[] } | undefined)?.tag ?? []);
  return tags.some((tag) => tag.system === panelTag.system && tag.code === panelTag.code);
}

/** Writes the panels as the data stands: new and changed ones, and deletes those of practitioners gone. */
async function recompute(service: FhirService): Promise<void> {
  const { store } = service.repository;
  const practitioners = await store.selectResources(sql`SELECT ${columns} FROM fhir_resources WHERE resource_type = ${'Practitioner'} AND deleted = ${false}`);
  const links = await store.select<{ practitioner: string; patient: string }>(
    sql`SELECT DISTINCT x.target_id AS practitioner, x.resource_id AS patient FROM fhir_idx_reference x
        WHERE x.resource_type = ${'Patient'} AND x.param = ${'general-practitioner'} AND x.target_type = ${'Practitioner'}`,
  );
  const membersOf = new Map<string, string[]>();
  for (const link of links) membersOf.set(link.practitioner, [...(membersOf.get(link.practitioner) ?? []), link.patient]);
  const existing = new Map(
    (await store.selectResources(sql`SELECT ${columns} FROM fhir_resources WHERE resource_type = ${'Group'} AND id LIKE ${'panel-%'} AND deleted = ${false}`)).map((stored) => [stored.id, stored]),
  );
  const policy = systemPolicy();
  for (const { resource: practitioner } of practitioners) {
    const wanted = panelGroup(practitioner, (membersOf.get(String(practitioner.id)) ?? []).sort());
    const id = String(wanted.id);
    const current = existing.get(id);
    existing.delete(id);
    // a Group someone else stored under the same id is theirs: left alone
    if (current && (!isPanel(current.resource) || contentOf(current.resource) === contentOf(wanted))) continue;
    await service.repository.update(policy, 'Group', id, wanted, current ? { ifMatch: current.versionId } : {});
  }
  for (const [id, stale] of existing) {
    if (isPanel(stale.resource)) await service.repository.delete(policy, 'Group', id, { ifMatch: stale.versionId });
  }
}

const lastRun = new WeakMap<Sequelize, Promise<void>>();

/**
 * Brings the panels up to date. Runs at every export kick-off, so an export always sees the
 * current panels; runs one at a time per database (each caller waits for a run that started
 * after it asked).
 */
export function syncPractitionerPanels(service: FhirService): Promise<void> {
  const key = service.repository.store.sequelize;
  const run = (lastRun.get(key) ?? Promise.resolve()).catch(() => undefined).then(() => recompute(service));
  lastRun.set(key, run);
  return run;
}
