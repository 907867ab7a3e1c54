import type { Restriction } from '../access/policy.js';
import { restrictionSql } from '../access/restriction-sql.js';
import type { FhirRegistry } from '../definitions/registry.js';
import type { Sql } from '../storage/sql.js';

export type SqlDialect = 'sqlite' | 'postgres';

/**
 * What criteria that look beyond the index tables need: the database's SQL dialect (text search
 * reads the stored JSON) and what the caller may see of another type (the List of a `_list`).
 * Without one, such criteria match nothing, so a caller that cannot tell never widens a result.
 */
export interface CompileContext {
  dialect: SqlDialect;
  /** The caller's restriction on resources of `resourceType` aliased `alias`; undefined when it may not read them. */
  visible(resourceType: string, alias: string): Sql | undefined;
}

/** A context for a caller whose restriction on each type `restrictionOf` answers (undefined: the type is not readable). */
export function compileContext(registry: FhirRegistry, dialect: string, restrictionOf: (resourceType: string) => Restriction | undefined): CompileContext {
  return {
    dialect: dialect === 'postgres' ? 'postgres' : 'sqlite',
    visible(resourceType, alias) {
      const restriction = restrictionOf(resourceType);
      return restriction && restrictionSql(registry, restriction, alias, resourceType);
    },
  };
}
