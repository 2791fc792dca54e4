import type { AwaitIterable, Block, Blockstore } from '@pinion/blockstore'
import { importer, type ImportCandidate, type ImportResult } from 'ipfs-unixfs-importer'
import type { CID } from 'multiformats/cid'
import { BlockChannel } from './block-channel.js'
import { InvalidImportError } from './errors.js'
import { PathRegistry } from './paths.js'
import { importerOptions, kuboProfile, type UnixfsProfile } from './profile.js'

/** What the importer writes through: any Pinion blockstore. */
export interface UnixfsComponents {
  readonly blockstore: Pick<Blockstore, 'putMany'>
}

/** Settings of {@link createUnixfsImporter}. */
export interface UnixfsInit {
  /** How CIDs are computed. Default {@link kuboProfile} (`ipfs add --cid-version=1`). */
  profile?: UnixfsProfile
  /** Blocks queued between the importer and `putMany` at most (memory bound). Default 16. */
  blocksInFlight?: number
}

/** A file: its relative path and its bytes. */
export interface FileEntry {
  readonly path: string
  readonly content: AwaitIterable<Uint8Array>
}

/** A directory, for directories that would otherwise not appear (empty ones). */
export interface DirectoryEntry {
  readonly path: string
  readonly content?: undefined
}

/** One entry of {@link UnixfsImporter.addAll}. */
export type ImportEntry = FileEntry | DirectoryEntry

/** Options of every import. */
export interface ImportOptions {
  /** Aborting stops reading and writing; nothing becomes visible (on the local backend). */
  signal?: AbortSignal
}

/** Options of {@link UnixfsImporter.addAll}. */
export interface AddAllOptions extends ImportOptions {
  /**
   * `auto` (default): a single top-level entry is the root itself, as `ipfs add -r DIR` or
   * `ipfs add FILE` answer; several are wrapped in a directory, as `ipfs add -w A B`.
   * `always`: always the wrapping directory, as `ipfs add -rw`.
   */
  wrap?: 'auto' | 'always'
}

/** What an import produced. */
export interface ImportSummary {
  /** The root: the file, the single top-level entry, or the wrapping directory. */
  readonly cid: CID
  /** Bytes of file content read. */
  readonly contentBytes: number
  /** Distinct blocks of the DAG written (dag-pb nodes and leaves). */
  readonly blocks: number
  /** Their total size in bytes. */
  readonly bytes: number
}

/** Turns files and directories into UnixFS DAGs in a blockstore. */
export interface UnixfsImporter {
  /** The profile CIDs are computed with. */
  readonly profile: UnixfsProfile

  /**
   * Imports one file from a byte stream: the CID `ipfs add --cid-version=1 FILE` gives.
   * Streams: memory does not grow with the size, and a slow blockstore slows the reading.
   *
   * @throws the source's error, the blockstore's error, or the signal's reason; nothing is kept
   *   then (the local backend is all-or-nothing; see `Blockstore.putMany`).
   */
  addFile(content: AwaitIterable<Uint8Array>, options?: ImportOptions): Promise<ImportSummary>

  /**
   * Imports files and directories by relative path (`a/b/c.txt`) as one tree, read in order:
   * the CID `ipfs add -r --cid-version=1` gives (see {@link AddAllOptions.wrap}).
   *
   * @throws InvalidImportError for a bad or colliding path, or no entry at all; otherwise as
   *   {@link addFile}.
   */
  addAll(entries: AwaitIterable<ImportEntry>, options?: AddAllOptions): Promise<ImportSummary>
}

/**
 * Creates an importer writing through `components.blockstore.putMany`.
 *
 * @example
 * ```ts
 * const unixfs = createUnixfsImporter({ blockstore })
 * const { cid } = await unixfs.addFile(fs.createReadStream('photo.jpg'))
 * ```
 */
export function createUnixfsImporter(
  components: UnixfsComponents,
  init: UnixfsInit = {},
): UnixfsImporter {
  return new Importer(components, init)
}

/** Counts and passes through content bytes, stopping at once when the signal aborts. */
async function* counted(
  content: AwaitIterable<Uint8Array>,
  counter: { bytes: number },
  signal: AbortSignal | undefined,
): AsyncGenerator<Uint8Array> {
  for await (const chunk of content) {
    signal?.throwIfAborted()
    counter.bytes += chunk.byteLength
    yield chunk
  }
}

/** Which importer result is the answer, and whether the last block written is the unused wrapper. */
type PickRoot = (topLevel: readonly ImportResult[]) => { root: CID; unusedWrapper?: CID }

class Importer implements UnixfsImporter {
  readonly profile: UnixfsProfile
  readonly #blockstore: Pick<Blockstore, 'putMany'>
  readonly #blocksInFlight: number

  constructor(components: UnixfsComponents, init: UnixfsInit) {
    this.#blockstore = components.blockstore
    this.profile = init.profile ?? kuboProfile
    this.#blocksInFlight = init.blocksInFlight ?? 16
  }

  addFile(content: AwaitIterable<Uint8Array>, options: ImportOptions = {}): Promise<ImportSummary> {
    const counter = { bytes: 0 }
    const candidates = [{ content: counted(content, counter, options.signal) }]
    return this.#run(candidates, false, counter, options, (results) => {
      const file = results.at(-1)
      if (file === undefined) throw new Error('the importer yielded nothing for a file')
      return { root: file.cid }
    })
  }

  addAll(entries: AwaitIterable<ImportEntry>, options: AddAllOptions = {}): Promise<ImportSummary> {
    const counter = { bytes: 0 }
    const paths = new PathRegistry()
    const signal = options.signal
    async function* candidates(): AsyncGenerator<ImportCandidate> {
      for await (const entry of entries) {
        signal?.throwIfAborted()
        if (entry.content === undefined) yield { path: paths.add(entry.path, 'directory') }
        else
          yield {
            path: paths.add(entry.path, 'file'),
            content: counted(entry.content, counter, signal),
          }
      }
      if (paths.topLevel.size === 0) throw new InvalidImportError('nothing to import: no entries')
    }
    // The importer must know about wrapping before it starts, and whether one top-level entry
    // comes is known only at the end: always wrap, then hand back the single entry instead and
    // drop the wrapper's block (the last one written) when it is not wanted.
    return this.#run(candidates(), true, counter, options, (results) => {
      const wrapper = results.find((result) => result.path === '')
      if (wrapper === undefined) throw new Error('the importer yielded no wrapping directory')
      if (options.wrap === 'always' || paths.topLevel.size !== 1) return { root: wrapper.cid }
      const [name] = paths.topLevel
      const single = results.find((result) => result.path === name)
      if (single === undefined) throw new Error(`the importer yielded no entry for "${name}"`)
      return { root: single.cid, unusedWrapper: wrapper.cid }
    })
  }

  async #run(
    candidates: AwaitIterable<ImportCandidate>,
    wrapWithDirectory: boolean,
    counter: { bytes: number },
    options: ImportOptions,
    pickRoot: PickRoot,
  ): Promise<ImportSummary> {
    const channel = new BlockChannel(this.#blocksInFlight)
    const writing = this.#blockstore.putMany(channel, { signal: options.signal })
    // A blockstore failure must stop the importer too (it may be waiting for room).
    writing.catch((error: unknown) => channel.fail(error))
    // The latest block is held back until the next one comes, so the wrapper (always the last)
    // can still be dropped.
    let held: Block | undefined
    const store = {
      put: async (cid: CID, bytes: Uint8Array): Promise<CID> => {
        const previous = held
        held = { cid, bytes }
        if (previous !== undefined) await channel.put(previous)
        return cid
      },
    }
    try {
      const topLevel: ImportResult[] = []
      for await (const result of importer(candidates, store, {
        ...importerOptions(this.profile),
        wrapWithDirectory,
        // Entries are read in order from one stream (a multipart body): importing several at
        // once would wait on an entry whose predecessor has not been read yet.
        fileImportConcurrency: 1,
      })) {
        // Only the root's candidates matter; keeping every result would grow with the tree.
        if (!(result.path ?? '').includes('/')) topLevel.push(result)
      }
      const { root, unusedWrapper } = pickRoot(topLevel)
      const last = held
      held = undefined
      if (last !== undefined && !(unusedWrapper !== undefined && last.cid.equals(unusedWrapper))) {
        await channel.put(last)
      }
      channel.close()
      const written = await writing
      return { cid: root, contentBytes: counter.bytes, ...written }
    } catch (error) {
      channel.fail(error)
      await writing.catch(() => undefined)
      throw error
    }
  }
}
