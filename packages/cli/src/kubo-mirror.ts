import { setTimeout as sleep } from 'node:timers/promises'
import type { Blockstore } from '@pinion/blockstore'
import type { Logger } from '@pinion/service-kit'
import type { CID } from 'multiformats/cid'

/**
 * Keeps a follower Kubo node's recursive pins equal to a source node's: the Helm chart runs this
 * beside every Kubo replica but the one the services talk to, so each replica holds a full copy
 * of every pinned DAG (see helm/pinion/README.md, "Several Kubo replicas").
 *
 * Content moves as CARs through the RPC API (`dag/export` of our own blockstore on the source,
 * verified `dag/import` on the follower), not over bitswap, so the replicas need no peering and
 * every block is hash-checked on the way.
 */

/** One Kubo node as the mirror sees it. */
export interface MirrorNode {
  /** Its RPC URL, for messages. */
  readonly url: string
  /** Our blockstore over this node (reads never leave the node; imports verify every block). */
  readonly blockstore: Blockstore
  /** The node's peer id; two URLs that reach one node report the same id. */
  peerId(signal?: AbortSignal): Promise<string>
  /** The root of every recursive pin on the node. */
  pins(signal?: AbortSignal): AsyncIterable<CID>
}

/** What {@link mirrorPins} works on. */
export interface MirrorComponents {
  readonly source: MirrorNode
  readonly target: MirrorNode
  readonly logger: Logger
}

/** How {@link mirrorPins} behaves. */
export interface MirrorInit {
  /** Unpin on the target what the source no longer pins (then collect the target's garbage). */
  readonly prune: boolean
  /** Deadline of one pin on the target, in milliseconds (the content is local by then). */
  readonly pinDeadlineMs: number
  readonly signal?: AbortSignal
}

/** What one pass did, as CID strings. */
export interface MirrorResult {
  /** Source and target are one node (the replica the services use): nothing was done. */
  readonly sameNode: boolean
  readonly copied: string[]
  readonly pruned: string[]
  readonly failed: { cid: string; error: string }[]
}

/** CIDv0 and CIDv1 of one DAG are one pin. */
const pinKey = (cid: CID) => cid.toV1().toString()

async function pinSet(node: MirrorNode, signal?: AbortSignal): Promise<Map<string, CID>> {
  const pins = new Map<string, CID>()
  for await (const cid of node.pins(signal)) pins.set(pinKey(cid), cid)
  return pins
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/**
 * One mirroring pass: copies (export → verified import → pin) every DAG the source pins and the
 * target does not, then, with `prune`, unpins what the target pins and the source does not and
 * runs the target's GC. A DAG that fails to copy is reported and retried by the next pass.
 *
 * @throws when either node is unreachable, or on abort.
 */
export async function mirrorPins(
  components: MirrorComponents,
  init: MirrorInit,
): Promise<MirrorResult> {
  const { source, target, logger } = components
  const signal = init.signal
  const result: MirrorResult = { sameNode: false, copied: [], pruned: [], failed: [] }
  const [sourceId, targetId] = await Promise.all([source.peerId(signal), target.peerId(signal)])
  if (sourceId === targetId) return { ...result, sameNode: true }

  const [wanted, held] = await Promise.all([pinSet(source, signal), pinSet(target, signal)])
  for (const [key, cid] of wanted) {
    if (held.has(key)) continue
    signal?.throwIfAborted()
    try {
      await target.blockstore.importCar(source.blockstore.exportCar(cid, { signal }), { signal })
      await target.blockstore.pin(cid, { deadlineMs: init.pinDeadlineMs, signal })
      result.copied.push(cid.toString())
    } catch (error) {
      signal?.throwIfAborted()
      logger.warn({ err: error, cid: cid.toString() }, 'mirror: copy failed; next pass retries')
      result.failed.push({ cid: cid.toString(), error: message(error) })
    }
  }
  if (!init.prune) return result
  for (const [key, cid] of held) {
    if (wanted.has(key)) continue
    await target.blockstore.unpin(cid, { signal })
    result.pruned.push(cid.toString())
  }
  // Only the mirror writes to a follower, one pass at a time, so nothing unpinned is in flight.
  if (result.pruned.length > 0) await target.blockstore.gc({ signal })
  return result
}

/** Settings of {@link mirrorLoop}. */
export interface MirrorLoopInit extends MirrorInit {
  /** Pause between the end of one pass and the start of the next, in milliseconds. */
  readonly intervalMs: number
  /** Stops the loop (between passes, or inside one). */
  readonly signal: AbortSignal
  /** Called after each pass, with its result or the error that ended it. */
  onPass?(outcome: { result?: MirrorResult; error?: unknown }): void
}

/**
 * Runs {@link mirrorPins} every `intervalMs` until `signal` aborts. A pass that throws (a node
 * is down) is reported through `onPass` and does not end the loop.
 */
export async function mirrorLoop(
  components: MirrorComponents,
  init: MirrorLoopInit,
): Promise<void> {
  while (!init.signal.aborted) {
    try {
      init.onPass?.({ result: await mirrorPins(components, init) })
    } catch (error) {
      if (init.signal.aborted) return
      init.onPass?.({ error })
    }
    try {
      await sleep(init.intervalMs, undefined, { signal: init.signal })
    } catch {
      return
    }
  }
}
