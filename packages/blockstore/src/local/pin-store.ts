import { mkdir, readFile, readdir, rename, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { CID } from 'multiformats/cid'
import type { DagSize } from '../blockstore.js'
import type { FileStore } from './file-store.js'
import { isNotFound } from './file-store.js'

/** What is kept about a pin. */
export interface PinRecord {
  cid: string
  pinnedAt: string
  size: DagSize
}

/**
 * Recursive pins as one small JSON file per root in `pins/`, named by the root's CIDv1 (so a
 * CIDv0 and its CIDv1 are one pin). Written like blocks: temp file, fsync, rename, folder fsync,
 * so a recorded pin survives a crash and a half-written one never appears.
 */
export class PinStore {
  readonly #files: FileStore
  readonly #dir: string

  constructor(files: FileStore) {
    this.#files = files
    this.#dir = join(files.root, 'pins')
  }

  async open(): Promise<void> {
    await mkdir(this.#dir, { recursive: true })
  }

  #path(cid: CID): string {
    return join(this.#dir, `${cid.toV1().toString()}.json`)
  }

  /** Records (or refreshes) a pin durably. */
  async add(cid: CID, size: DagSize): Promise<void> {
    const record: PinRecord = { cid: cid.toString(), pinnedAt: new Date().toISOString(), size }
    const temp = this.#files.tempPath('.pin')
    await this.#files.write(temp, new TextEncoder().encode(JSON.stringify(record)), {
      durable: true,
    })
    await rename(temp, this.#path(cid))
    await this.#files.syncDirs([this.#dir])
  }

  /** Removes a pin durably; absent pins are fine. */
  async remove(cid: CID): Promise<void> {
    try {
      await unlink(this.#path(cid))
    } catch (error) {
      if (!isNotFound(error)) throw error
      return
    }
    await this.#files.syncDirs([this.#dir])
  }

  async has(cid: CID): Promise<boolean> {
    try {
      await readFile(this.#path(cid))
      return true
    } catch (error) {
      if (isNotFound(error)) return false
      throw error
    }
  }

  /** Every pinned root. */
  async list(): Promise<CID[]> {
    const names = await readdir(this.#dir)
    return names
      .filter((name) => name.endsWith('.json'))
      .map((name) => CID.parse(name.slice(0, -5)))
  }
}
