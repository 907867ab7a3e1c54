import type { Migration } from '../migrate.js';
import { foundation } from './0001-foundation.js';
import { fhirStorageMigration } from '../../fhir/storage/migration.js';
import { oauthMigration } from './0003-oauth-server.js';
import { bulkExportMigration } from '../../fhir/bulk/migration.js';
import { conformanceResourcesMigration } from '../../fhir/ig/migration.js';

/** Every migration, in the order it runs. Append only: a released migration never changes. */
export const migrations: Migration[] = [foundation, fhirStorageMigration, oauthMigration, bulkExportMigration, conformanceResourcesMigration];
