import { createHash, createCipheriv } from 'node:crypto'
import type {
  AbortOptions,
  AwaitIterable,
  Block,
  Blockstore,
  WriteResult,
} from '@pinion/blockstore'

/**
 * A fake of the blockstore's `putMany` (our own interface): verifies each sha2-256 block, keeps
 * the bytes when asked to (small tests) or only their sizes (large ones), and commits all or
 * nothing like the local backend.
 */
export class MemoryBlockstore implements Pick<Blockstore, 'putMany'> {
  readonly blocks = new Map<string, Uint8Array | number>()
  readonly #keepBytes: boolean
  /** Called before each block is taken, so a test can slow the consumer down. */
  beforeEach: (() => Promise<void>) | undefined

  constructor(options: { keepBytes?: boolean } = {}) {
    this.#keepBytes = options.keepBytes ?? true
  }

  async putMany(blocks: AwaitIterable<Block>, options: AbortOptions = {}): Promise<WriteResult> {
    const staged = new Map<string, Uint8Array | number>()
    let bytes = 0
    for await (const block of blocks) {
      options.signal?.throwIfAborted()
      await this.beforeEach?.()
      const digest = createHash('sha256').update(block.bytes).digest()
      if (Buffer.compare(digest, block.cid.multihash.digest) !== 0) {
        throw new Error(`hash mismatch for ${block.cid.toString()}`)
      }
      const key = block.cid.toString()
      if (staged.has(key)) continue
      staged.set(key, this.#keepBytes ? block.bytes : block.bytes.byteLength)
      bytes += block.bytes.byteLength
    }
    for (const [key, value] of staged) this.blocks.set(key, value)
    return { blocks: staged.size, bytes }
  }
}

/** Bytes of a string, as a one-chunk stream. */
export function text(value: string): Uint8Array[] {
  return [new TextEncoder().encode(value)]
}

/**
 * Kubo's deterministic test data (test/cli/testutils/random_deterministic.go): the ChaCha20
 * keystream under key sha256(seed), zero nonce, counter 0, in 1 MiB chunks.
 */
export async function* deterministicBytes(size: number, seed: string): AsyncGenerator<Uint8Array> {
  const key = createHash('sha256').update(seed).digest()
  // Node's chacha20 IV is the 32-bit block counter followed by the 96-bit nonce, all zero here.
  const cipher = createCipheriv('chacha20', key, Buffer.alloc(16))
  const zeros = Buffer.alloc(1024 * 1024)
  for (let left = size; left > 0; left -= zeros.length) {
    yield cipher.update(zeros.subarray(0, Math.min(left, zeros.length)))
  }
}

/** Kubo's test alphabet for deterministic file names (test/cli/testutils/random_files.go). */
const alphabetEasy = 'abcdefghijklmnopqrstuvwxyz01234567890-_'

/**
 * The names Kubo's `createDeterministicFiles` gives (test/cli/cid_profiles_test.go): `count`
 * names of `nameLength` characters drawn from the keystream of `seed`, the last one
 * `lastNameLength` long.
 */
export async function deterministicNames(
  count: number,
  nameLength: number,
  lastNameLength: number,
  seed: string,
): Promise<string[]> {
  const stream = deterministicBytes(1024 * 1024, seed)
  const first = await stream.next()
  const keystream = first.value as Uint8Array
  const names: string[] = []
  let offset = 0
  for (let i = 0; i < count; i++) {
    const length = i === count - 1 ? lastNameLength : nameLength
    let name = ''
    for (const byte of keystream.subarray(offset, offset + length)) {
      name += alphabetEasy[byte % alphabetEasy.length]
    }
    offset += length
    names.push(name)
  }
  return names
}
