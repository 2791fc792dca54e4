/**
 * The auditor's own record of used bjo sentinels, per `key/root`: a small JSON file on the
 * auditor's machine. It must never come from the server — a server that could lower the count
 * would get a sentinel it already answered, and replay that answer without the data.
 */
import { randomBytes } from 'node:crypto'
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'

/** Used sentinels by `key_id/root`. */
export type AuditState = Record<string, number>

/** Reads the state file; a missing file is an empty state. */
export async function loadAuditState(path: string): Promise<AuditState> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as unknown
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new Error(`${path} is not an audit state file`)
    return parsed as AuditState
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {}
    throw error
  }
}

/** Writes the state durably (temporary file, then rename), readable by its owner only. */
export async function saveAuditState(path: string, state: AuditState): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 })
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`
  await writeFile(temporary, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600, flush: true })
  await rename(temporary, path)
}
