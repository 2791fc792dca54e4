/**
 * erway's rank-based authenticated skip list (storage-proofs.md §6; Erway et al. 2009 §3). One list
 * per root over positions 1..n plus a left sentinel at 0 that is one level taller than every tower,
 * so its top node covers the whole list (rank n) and its label is the root's basis.
 *
 * Labels: `hl(x_1..x_k) = H(LP(L("erway","node")) ‖ H(x_1) ‖ … ‖ H(x_k))`, bottom nodes
 * `hl(u64(0), u64(rank), tag, f(right))`, higher nodes `hl(u64(level), u64(rank), f(down), f(right))`,
 * null = 32 zero bytes; the sentinel's bottom node has the empty tag. rank(v) is the number of
 * elements from v up to (excluding) its right neighbour, so the ranks of the nodes a path enters
 * from the right add up to the 0-based index of its leaf.
 */
import { bytesEqual, concat, lp, u64, u8 } from './bytes.js'
import { ensureFormat } from './errors.js'
import { H, label, PRF } from './hash.js'

const NODE_LABEL = lp(label('erway', 'node'))
const NULL_DIGEST = H(new Uint8Array(32))
const EMPTY_DIGEST = H(new Uint8Array(0))
/** Size of one encoded path step: u8 level, u64 rank, u8 dir, 32-byte sibling digest. */
export const STEP_BYTES = 42
/** Longest path accepted (levels ≤ 10, so real paths are far shorter). */
export const MAX_PATH_STEPS = 4096

/** One step of a path: the node entered, how, and the digest of its other argument. */
export interface PathStep {
  readonly level: number
  readonly rank: number
  /** 0: entered from its down child (or, for the leaf, from its tag); 1: from its right neighbour. */
  readonly dir: 0 | 1
  /** H of the argument not on the path (the right label, or the down label / tag). */
  readonly sibling: Uint8Array
}

function node(
  level: number,
  rank: number,
  downDigest: Uint8Array,
  rightDigest: Uint8Array,
): Uint8Array {
  return H(NODE_LABEL, H(u64(level)), H(u64(rank)), downDigest, rightDigest)
}

/** Tower height of position i (1-based): 1 + trailing 1-bits of PRF(key_id, "height", LP(root) ‖ u64(i)). */
export function towerHeight(keyId: Uint8Array, root: Uint8Array, i: number): number {
  let byte = PRF(keyId, 'height', concat(lp(root), u64(i)))[0]!
  let h = 1
  while (byte & 1 && h < 32) {
    h++
    byte >>= 1
  }
  return h
}

/** A built skip list: its basis and paths from any leaf. */
export interface SkipList {
  readonly basis: Uint8Array
  /** The path from leaf `index` (0-based) to the top-left sentinel. */
  path(index: number): PathStep[]
}

/** Builds the list over `tags` (position i+1 holds tags[i]). */
export function buildSkipList(
  keyId: Uint8Array,
  root: Uint8Array,
  tags: readonly Uint8Array[],
): SkipList {
  const n = tags.length
  const heights = [0]
  for (let i = 1; i <= n; i++) heights.push(towerHeight(keyId, root, i))
  const top = Math.max(1, ...heights) + 1
  heights[0] = top
  // labels[l] maps position → label; next[l] maps position → right neighbour (n+1 = none).
  const labels: Map<number, Uint8Array>[] = []
  const next: Map<number, number>[] = []
  const tagDigest = (p: number): Uint8Array => (p === 0 ? EMPTY_DIGEST : H(tags[p - 1]!))
  const rankOf = (p: number, right: number): number => right - Math.max(p, 1)
  for (let l = 0; l < top; l++) {
    const lab = new Map<number, Uint8Array>()
    const nx = new Map<number, number>()
    let right = n + 1
    for (let p = n; p >= 0; p--) {
      if (heights[p]! <= l) continue
      const down = l === 0 ? tagDigest(p) : H(labels[l - 1]!.get(p)!)
      const rightDigest = right === n + 1 ? NULL_DIGEST : H(lab.get(right)!)
      lab.set(p, node(l, rankOf(p, right), down, rightDigest))
      nx.set(p, right)
      right = p
    }
    labels.push(lab)
    next.push(nx)
  }
  const rightDigestOf = (p: number, l: number): Uint8Array => {
    const r = next[l]!.get(p)!
    return r === n + 1 ? NULL_DIGEST : H(labels[l]!.get(r)!)
  }
  return {
    basis: labels[top - 1]!.get(0)!,
    path(index) {
      if (!Number.isSafeInteger(index) || index < 0 || index >= n)
        throw new RangeError(`leaf ${index} outside [0, ${n})`)
      let p = index + 1
      let l = 0
      const steps: PathStep[] = [
        { level: 0, rank: rankOf(p, next[0]!.get(p)!), dir: 0, sibling: rightDigestOf(p, 0) },
      ]
      while (!(p === 0 && l === top - 1)) {
        if (heights[p]! > l + 1) {
          l++
          steps.push({
            level: l,
            rank: rankOf(p, next[l]!.get(p)!),
            dir: 0,
            sibling: rightDigestOf(p, l),
          })
        } else {
          let q = p - 1
          while (heights[q]! <= l) q--
          p = q
          const down = l === 0 ? tagDigest(p) : H(labels[l - 1]!.get(p)!)
          steps.push({ level: l, rank: rankOf(p, next[l]!.get(p)!), dir: 1, sibling: down })
        }
      }
      return steps
    },
  }
}

/** Encodes a path as concatenated 42-byte steps. */
export function encodePath(steps: readonly PathStep[]): Uint8Array {
  return concat(...steps.map((s) => concat(u8(s.level), u64(s.rank), u8(s.dir), s.sibling)))
}

/** Decodes a path; throws {@link ProofFormatError} on a bad length, direction or level. */
export function decodePath(bytes: Uint8Array): PathStep[] {
  ensureFormat(
    bytes.length > 0 && bytes.length % STEP_BYTES === 0,
    'path is not a whole number of steps',
  )
  ensureFormat(bytes.length / STEP_BYTES <= MAX_PATH_STEPS, 'path too long')
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const steps: PathStep[] = []
  for (let at = 0; at < bytes.length; at += STEP_BYTES) {
    const rank = view.getBigUint64(at + 1)
    const dir = bytes[at + 9]!
    ensureFormat(dir === 0 || dir === 1, 'path direction must be 0 or 1')
    ensureFormat(rank <= BigInt(Number.MAX_SAFE_INTEGER), 'path rank too large')
    steps.push({
      level: bytes[at]!,
      rank: Number(rank),
      dir: dir as 0 | 1,
      sibling: bytes.slice(at + 10, at + 42),
    })
  }
  return steps
}

/**
 * Recomputes a leaf's path up to the basis and checks its position: the leaf's tag must hash into
 * it, levels must move consistently, the top must cover all `count` elements, and the ranks of the
 * nodes entered from the right must add up to `index`.
 */
export function verifyPath(
  tag: Uint8Array,
  steps: readonly PathStep[],
  index: number,
  count: number,
  basis: Uint8Array,
): boolean {
  const first = steps[0]
  if (!first || first.level !== 0 || first.dir !== 0) return false
  let label = node(0, first.rank, H(tag), first.sibling)
  let level = 0
  let sum = 0
  for (const step of steps.slice(1)) {
    if (step.dir === 0) {
      if (step.level !== level + 1) return false
      label = node(step.level, step.rank, H(label), step.sibling)
    } else {
      if (step.level !== level) return false
      label = node(step.level, step.rank, step.sibling, H(label))
      sum += step.rank
    }
    level = step.level
  }
  const last = steps[steps.length - 1]!
  return last.rank === count && sum === index && bytesEqual(label, basis)
}
