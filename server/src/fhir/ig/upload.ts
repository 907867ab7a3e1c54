import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Sequelize } from 'sequelize';
import { installPackageContents, type InstallReport } from './install.js';
import { readConformancePackage, type PackageContents } from './read-package.js';

/** The upload itself is unusable (not gzip, not a package, nothing to install): the sender's fault. */
export class PackageUploadError extends Error {}

// RFC 1952: every gzip member starts with ID1 ID2.
const isGzip = (bytes: Buffer): boolean => bytes.length > 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;

/**
 * Installs a FHIR NPM package uploaded in FHIR Setup with the same code as
 * `inpracsys ig install PACKAGE.tgz`; the running server validates with it at once.
 */
export async function installUploadedPackage(sequelize: Sequelize, bytes: Buffer): Promise<InstallReport> {
  if (!isGzip(bytes)) throw new PackageUploadError('the upload is not a FHIR package: expected a gzip-compressed .tgz file');
  // The package reader unpacks from a file, like the command does.
  const dir = await mkdtemp(path.join(os.tmpdir(), 'inpracsys-ig-upload-'));
  try {
    const file = path.join(dir, 'package.tgz');
    await writeFile(file, bytes, { mode: 0o600 });
    let contents: PackageContents;
    try {
      contents = await readConformancePackage(file);
    } catch (error) {
      throw new PackageUploadError(`the upload is not a readable FHIR package: ${(error as Error).message}`);
    }
    if (contents.resources.length === 0) {
      throw new PackageUploadError('the package holds no StructureDefinitions, SearchParameters, ValueSets or CodeSystems');
    }
    return await installPackageContents(sequelize, contents, 'the uploaded package');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
