import type { Migration } from '../migrate.js';
import { foundation } from './0001-foundation.js';
import { columnParamsMigration, coveringTokenIndexMigration, fhirStorageMigration, indexStateMigration } from '../../fhir/storage/migration.js';
import { oauthMigration } from './0003-oauth-server.js';
import { bulkExportCheckpointMigration, bulkExportMigration } from '../../fhir/bulk/migration.js';
import { conformanceResourcesMigration } from '../../fhir/ig/migration.js';
import { refreshTokenIdMigration } from '../../oauth/store/refresh-token-id-migration.js';

/** Every migration, in the order it runs. Append only: a released migration never changes. */
export const migrations: Migration[] = [foundation, fhirStorageMigration, oauthMigration, bulkExportMigration, conformanceResourcesMigration, refreshTokenIdMigration, bulkExportCheckpointMigration, coveringTokenIndexMigration, columnParamsMigration, indexStateMigration];
