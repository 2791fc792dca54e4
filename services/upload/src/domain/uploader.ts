import type { Blockstore } from '@pinion/blockstore'
import { BadRequestError, type Logger } from '@pinion/service-kit'
import type { ImportEntry, UnixfsImporter } from '@pinion/unixfs'
import type { CID } from 'multiformats/cid'
import { checkDeclaredLength, limitBody, type BodyLimits } from './body-limits.js'
import type { PinRequests, PinStatusBody } from './pins.js'

/** What the uploader works with. */
export interface UploaderComponents {
  readonly blockstore: Pick<Blockstore, 'importCar'>
  readonly unixfs: UnixfsImporter
  readonly pins: PinRequests
  readonly logger: Logger
}

/** Uploader settings. */
export interface UploaderInit {
  /** Largest body accepted, in bytes (`UPLOAD_MAX_BYTES`). */
  readonly maxBytes: number
}

/**
 * How the body is to be read. `files` gets the (limited) body and turns it into entries: the
 * multipart parser lives with the transport, the limits here.
 */
export type UploadContent =
  | { readonly kind: 'file'; readonly body: AsyncIterable<Uint8Array> }
  | { readonly kind: 'car'; readonly body: AsyncIterable<Uint8Array> }
  | {
      readonly kind: 'files'
      readonly body: AsyncIterable<Uint8Array>
      readonly entries: (body: AsyncIterable<Uint8Array>) => AsyncIterable<ImportEntry>
    }

/** One upload request. */
export interface Upload {
  readonly userId: string
  /** `?name=`: the pin's name (`<name>-root-<i>` for each root of a CAR with several). */
  readonly name: string | undefined
  /** Content-Length when the client sent one, in bytes. */
  readonly declaredBytes: number | undefined
  readonly content: UploadContent
  /** Aborts when the client goes away; its reason is what the upload then throws. */
  readonly signal: AbortSignal
}

/** Stores uploads in the blockstore and pins them. */
export interface Uploader {
  /**
   * Streams the body into the blockstore (files chunked into UnixFS, CARs verified block by block),
   * then creates one pin per root, in `pinning`. Content is readable as soon as this resolves.
   *
   * @returns the PinStatus, or one per root for a CAR with several roots.
   * @throws PayloadTooLargeError, QuotaExceededError (checked before reading and while reading),
   *   EmptyBodyError, InvalidCarError, InvalidImportError, BadRequestError (a CAR without roots),
   *   the signal's reason when the client went away; no pin is created then.
   */
  upload(upload: Upload): Promise<PinStatusBody | PinStatusBody[]>
}

/** Creates the uploader (helia-style components + init). */
export function createUploader(components: UploaderComponents, init: UploaderInit): Uploader {
  const { blockstore, unixfs, pins, logger } = components

  async function limitsFor(userId: string): Promise<BodyLimits> {
    const remaining = await pins.remainingStoredBytes(userId)
    const quotaBytes =
      remaining === undefined
        ? undefined
        : Number(remaining > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : remaining)
    return { maxBytes: init.maxBytes, quotaBytes }
  }

  /** Streams the body into the blockstore; returns the roots to pin and what was written. */
  async function store(upload: Upload, limits: BodyLimits) {
    const counter = { bytes: 0 }
    const body = limitBody(upload.content.body, limits, counter)
    const options = { signal: upload.signal }
    switch (upload.content.kind) {
      case 'file': {
        const result = await unixfs.addFile(body, options)
        return { roots: [result.cid], blocks: result.blocks, counter }
      }
      case 'files': {
        const result = await unixfs.addAll(upload.content.entries(body), options)
        return { roots: [result.cid], blocks: result.blocks, counter }
      }
      case 'car': {
        const result = await blockstore.importCar(body, options)
        if (result.roots.length === 0) throw new BadRequestError('The CAR header names no root')
        return { roots: result.roots, blocks: result.blocks, counter }
      }
    }
  }

  function pinName(name: string | undefined, roots: readonly CID[], index: number) {
    return name === undefined || roots.length === 1 ? name : `${name}-root-${index}`
  }

  return {
    async upload(upload) {
      const limits = await limitsFor(upload.userId)
      checkDeclaredLength(upload.declaredBytes, limits)
      let stored: Awaited<ReturnType<typeof store>>
      try {
        stored = await store(upload, limits)
      } catch (error) {
        // A gone client surfaces as a socket error in the body stream: report why it failed.
        upload.signal.throwIfAborted()
        throw error
      }
      const { roots, blocks, counter } = stored
      logger.info(
        { kind: upload.content.kind, roots: roots.map(String), bytes: counter.bytes, blocks },
        'upload stored',
      )
      const statuses: PinStatusBody[] = []
      for (const [index, root] of roots.entries()) {
        statuses.push(
          await pins.requestPin({
            userId: upload.userId,
            cid: root.toString(),
            name: pinName(upload.name, roots, index),
            meta: {},
            source: 'upload',
            status: 'pinning',
          }),
        )
      }
      const [first] = statuses
      if (first === undefined || roots.length > 1) return statuses
      return first
    },
  }
}
