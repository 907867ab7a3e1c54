import { QueryTypes, type Sequelize } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fhirRegistry } from '../../server/src/fhir/definitions/registry.js';
import { indexSignature } from '../../server/src/fhir/indexing/index-state.js';
import type { RunningServer } from '../../server/src/server.js';
import { bearerHeader } from '../helpers/bearer.js';
import { removeDir, request, startTestServer, tempDataDir } from '../helpers/server.js';

// A database written by an earlier version keeps its index rows until a server that indexes a type
// differently starts on it: that server re-indexes exactly the types whose recorded signature differs.
let dir: string;
let server: RunningServer | undefined;

const device = { resourceType: 'Device', id: 'iu-device', status: 'active', patient: { reference: 'Patient/iu-pat' }, type: { text: 'Pacemaker' } };
const observation = { resourceType: 'Observation', id: 'iu-obs', status: 'final', code: { text: 'Weight' }, subject: { reference: 'Patient/iu-pat' } };

const select = <T extends object>(sequelize: Sequelize, text: string, replacements: unknown[] = []) => sequelize.query<T>(text, { type: QueryTypes.SELECT, replacements });
const indexRows = async (sequelize: Sequelize, type: string, id: string) =>
  (await select<{ n: number }>(sequelize, 'SELECT COUNT(*) AS n FROM fhir_idx_token WHERE resource_type = ? AND resource_id = ?', [type, id]))[0]!.n;
const compartments = async (sequelize: Sequelize, type: string, id: string) =>
  (await select<{ patient_id: string }>(sequelize, 'SELECT patient_id FROM fhir_compartments WHERE resource_type = ? AND resource_id = ?', [type, id])).map((row) => row.patient_id);

beforeAll(async () => {
  dir = await tempDataDir();
});

afterAll(async () => {
  await server?.close();
  if (dir) await removeDir(dir);
});

describe('search index after an upgrade', () => {
  it('records on a new database that every type is indexed as this version indexes it', async () => {
    server = await startTestServer(dir);
    await server.fhirIndexRefresh();
    const registry = fhirRegistry();
    const recorded = await select<{ resource_type: string; signature: string }>(server.context.sequelize, 'SELECT resource_type, signature FROM fhir_index_state');
    expect(new Map(recorded.map((row) => [row.resource_type, row.signature]))).toEqual(new Map(registry.resourceTypes.map((type) => [type, indexSignature(registry, type)])));
  });

  it('re-indexes at start the types an earlier version indexed differently, and only those', async () => {
    const headers = { ...(await bearerHeader(server!, 'system/Patient.cruds system/Device.cruds system/Observation.cruds')), 'content-type': 'application/fhir+json' };
    for (const resource of [{ resourceType: 'Patient', id: 'iu-pat' }, device, observation]) {
      const put = await request(server!, `/fhir/r4/${resource.resourceType}/${resource.id}`, { method: 'PUT', body: JSON.stringify(resource), headers });
      expect(put.status, put.body).toBe(201);
    }
    const sequelize = server!.context.sequelize;
    const deviceRows = await indexRows(sequelize, 'Device', 'iu-device');
    expect(deviceRows).toBeGreaterThan(0);
    expect(await compartments(sequelize, 'Device', 'iu-device')).toEqual(['iu-pat']);

    // as an earlier version left them: Device outside the compartment, its rows and signature different;
    // Observation's rows are gone too, but its signature is current, so it must be left alone
    for (const type of ['Device', 'Observation']) {
      await sequelize.query('DELETE FROM fhir_idx_token WHERE resource_type = ?', { replacements: [type] });
      await sequelize.query('DELETE FROM fhir_compartments WHERE resource_type = ?', { replacements: [type] });
    }
    await sequelize.query(`UPDATE fhir_index_state SET signature = 'earlier' WHERE resource_type = 'Device'`);
    await server!.close();

    server = await startTestServer(dir);
    await server.fhirIndexRefresh();
    const restarted = server.context.sequelize;
    expect(await indexRows(restarted, 'Device', 'iu-device')).toBe(deviceRows);
    expect(await compartments(restarted, 'Device', 'iu-device')).toEqual(['iu-pat']);
    expect(await indexRows(restarted, 'Observation', 'iu-obs')).toBe(0);
    expect(await compartments(restarted, 'Observation', 'iu-obs')).toEqual([]);
    const registry = fhirRegistry();
    expect(await select(restarted, `SELECT signature FROM fhir_index_state WHERE resource_type = 'Device'`)).toEqual([{ signature: indexSignature(registry, 'Device') }]);

    const patientHeaders = await bearerHeader(server, 'patient/Device.rs', 'iu-pat');
    const found = await request(server, '/fhir/r4/Device?type:text=pacemaker', { headers: patientHeaders });
    expect(found.status).toBe(200);
    expect((found.json() as { entry?: { resource: { id: string } }[] }).entry?.map((e) => e.resource.id)).toEqual(['iu-device']);
  });
});
