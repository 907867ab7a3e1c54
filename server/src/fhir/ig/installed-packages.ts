import { QueryTypes, type Sequelize } from 'sequelize';
import { conformanceTypes } from './read-package.js';

export interface InstalledPackage {
  /** The package's `name` from its package.json; null for resources installed from a folder without one. */
  name: string | null;
  version: string | null;
  /** Installed resources by type (StructureDefinition, SearchParameter, ValueSet, CodeSystem). */
  counts: Record<string, number>;
  installedAt: string;
}

interface CountRow {
  packageName: string | null;
  resourceType: string;
  count: number | string;
  installedAt: Date | string;
}

/**
 * The packages whose resources are installed now, newest first. A resource installed again by a
 * later package counts for that package only (installs replace by canonical URL).
 */
export async function listInstalledPackages(sequelize: Sequelize): Promise<InstalledPackage[]> {
  // Quoted identifiers: the columns are camelCase, which PostgreSQL folds unless quoted.
  const rows = await sequelize.query<CountRow>(
    'SELECT "packageName", "resourceType", COUNT(*) AS "count", MAX("installedAt") AS "installedAt" FROM conformance_resources GROUP BY "packageName", "resourceType"',
    { type: QueryTypes.SELECT },
  );
  const packages = new Map<string | null, InstalledPackage>();
  for (const row of rows) {
    const [name, version] = splitPackageName(row.packageName);
    const entry = packages.get(row.packageName) ?? { name, version, counts: Object.fromEntries([...conformanceTypes].map((type) => [type, 0])), installedAt: '' };
    entry.counts[row.resourceType] = Number(row.count);
    const installedAt = new Date(row.installedAt).toISOString();
    if (installedAt > entry.installedAt) entry.installedAt = installedAt;
    packages.set(row.packageName, entry);
  }
  return [...packages.values()].sort((a, b) => b.installedAt.localeCompare(a.installedAt));
}

/** `name#version` as the install stores it. */
function splitPackageName(packageName: string | null): [string | null, string | null] {
  if (packageName === null) return [null, null];
  const hash = packageName.lastIndexOf('#');
  if (hash === -1) return [packageName, null];
  const version = packageName.slice(hash + 1);
  return [packageName.slice(0, hash), version === '' ? null : version];
}
