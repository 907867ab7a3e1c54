import type { Migration } from '../migrate.js';
import { foundation } from './0001-foundation.js';

/** Every migration, in the order it runs. Append only: a released migration never changes. */
export const migrations: Migration[] = [foundation];
