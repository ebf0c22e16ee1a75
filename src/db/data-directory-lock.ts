import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'

/** Marks an embedded database folder as open; holds the opener's pid. */
export const LOCK_FILE = 'passerelle.lock'

/**
 * Lock files this process holds. A lock naming this process's pid that is not here was left
 * by an earlier process that had the same pid (a restarted container's pid 1).
 */
const held = new Set<string>()

export class DataDirectoryInUseError extends Error {
  override name = 'DataDirectoryInUseError'

  constructor(dataDir: string, holder: number | undefined) {
    super(
      `The embedded database in ${dataDir} is already open in ${holder === undefined ? 'another process' : `process ${holder}`} ` +
        '(is `npm start` running?). Only one process may open it: stop that one first, or use PostgreSQL through DATABASE_URL. ' +
        `If no process has it open, remove ${path.join(dataDir, LOCK_FILE)}.`,
    )
  }
}

/**
 * Takes a PGlite data folder for this process: two PGlite instances on one folder (an admin
 * command while the server runs) corrupt it. A lock whose process has ended is taken over.
 * Returns the release, which is safe to call more than once.
 */
export function lockDataDirectory(dataDir: string): () => void {
  const file = path.join(path.resolve(dataDir), LOCK_FILE)
  if (!tryCreate(file)) {
    const holder = holderOf(file)
    if (holder !== undefined && isRunning(holder, file)) throw new DataDirectoryInUseError(dataDir, holder)
    // Stale. Remove it only if it is still the same lock (another opener may just have taken
    // it over), then compete for it like any opener: the exclusive create decides.
    if (holderOf(file) === holder) rmSync(file, { force: true })
    if (!tryCreate(file)) throw new DataDirectoryInUseError(dataDir, holderOf(file))
  }
  held.add(file)
  return () => {
    if (held.delete(file)) rmSync(file, { force: true })
  }
}

/** Creates the lock file only if there is none ('wx'); false when there is one. */
function tryCreate(file: string): boolean {
  try {
    writeFileSync(file, `${process.pid}\n`, { flag: 'wx' })
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw error
  }
}

/** The pid in a lock file; undefined when it is gone or holds no pid. */
function holderOf(file: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(file, 'utf8'), 10)
    return Number.isInteger(pid) && pid > 0 ? pid : undefined
  } catch {
    return undefined
  }
}

function isRunning(pid: number, file: string): boolean {
  if (pid === process.pid) return held.has(file)
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
