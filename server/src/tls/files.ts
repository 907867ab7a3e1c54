import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';

const OWNER_ONLY_DIR = 0o700;
export const OWNER_ONLY_FILE = 0o600;
export const PUBLIC_FILE = 0o644;

// Windows ignores POSIX modes; there the user profile's ACL protects the data dir.
const POSIX_MODES = process.platform !== 'win32';

export async function ensurePrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: OWNER_ONLY_DIR });
}

/** The file's text, or undefined when it does not exist; other errors (EACCES, EIO) throw. */
export async function readTextIfPresent(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return undefined;
    }
    throw error;
  }
}

/**
 * Writes to a temporary file in the same directory, flushes it, then renames it over `path`:
 * a crash leaves either the old file or the new one, never half a key.
 */
export async function writeFileAtomic(path: string, text: string, mode: number): Promise<void> {
  const temporary = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const handle = await open(temporary, 'wx', mode);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** Tightens a private file that was copied or restored with looser permissions. */
export async function restrictToOwner(path: string): Promise<void> {
  if (!POSIX_MODES) {
    return;
  }
  const { mode } = await stat(path);
  if ((mode & 0o077) !== 0) {
    await chmod(path, OWNER_ONLY_FILE);
  }
}
