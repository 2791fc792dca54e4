/**
 * `PinStatus.delegates`: the service's own IPFS peers that will receive the data over bitswap.
 * The spec requires 1–20 unique multiaddrs, each ending in `/p2p/<peer id>`; Kubo rejects a
 * delegate without the `/p2p/` part outright (pinning-api.md §1.7).
 */

import { localPeerId } from './local-peer.js'

const maxDelegates = 20
const delegatePattern =
  /^\/[^\s,]+\/p2p\/[1-9A-HJ-NP-Za-km-z]{40,}$|^\/[^\s,]+\/p2p\/[a-z2-7]{50,}$/

/** Whether `address` is a multiaddr ending in `/p2p/<peer id>` (base58 or base32 peer id). */
export function isDelegateAddress(address: string): boolean {
  return address.length <= 1024 && delegatePattern.test(address)
}

/** Parses a comma-separated delegate list, or answers what is wrong with it. */
export function parseDelegates(value: string): string[] | string {
  const list = [...new Set(value.split(',').map((part) => part.trim()))].filter((p) => p !== '')
  const bad = list.find((address) => !isDelegateAddress(address))
  if (bad !== undefined) return `not a multiaddr ending in /p2p/<peer id>: ${bad}`
  if (list.length === 0) return 'at least one delegate multiaddr is needed'
  if (list.length > maxDelegates) return `at most ${maxDelegates} delegates`
  return list
}

/**
 * Picks delegates from the addresses a Kubo node announces (`/api/v0/id` `Addresses`): those with
 * a `/p2p/` suffix, public ones first (the spec asks for dialable addresses), loopback last,
 * at most 20.
 */
export function selectDelegates(addresses: readonly string[]): string[] {
  const usable = [...new Set(addresses)].filter(isDelegateAddress)
  const rank = (address: string): number => {
    if (/^\/ip[46]\/(127\.|::1\/)/.test(address)) return 2
    if (/^\/ip4\/(10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.)|^\/ip6\/f[cd]/.test(address)) return 1
    return 0
  }
  return usable
    .map((address, index) => ({ address, index, rank: rank(address) }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .slice(0, maxDelegates)
    .map((entry) => entry.address)
}

export interface ResolveDelegatesOptions {
  /** From PIN_DELEGATES; wins when set. */
  configured: readonly string[] | undefined
  /** The blockstore backend (BLOCKSTORE): whose node holds the pinned data. */
  blockstore: 'local' | 'kubo'
  /** Kubo's RPC base URL (KUBO_RPC_URL), asked for its addresses with the kubo backend. */
  kuboRpcUrl: string
  /** The local blockstore's folder (BLOCKSTORE_PATH): its node identity is kept there. */
  localPath: string
  /** Where the local node would listen for IPFS peers; default `/ip4/127.0.0.1/tcp/4001`. */
  localAddress?: string
  fetch?: typeof fetch
  timeoutMs?: number
}

/**
 * The delegates to announce, decided once at start:
 * - PIN_DELEGATES when set (production: the public addresses of the cluster's Kubo nodes);
 * - with the kubo backend, the addresses Kubo announces (`/api/v0/id`, public ones first);
 * - with the local backend, the local node's stable identity (see local-peer.ts) at
 *   `localAddress`, so a one-machine Pinion answers valid PinStatus objects out of the box.
 *
 * @throws Error naming PIN_DELEGATES when the kubo backend's node does not answer with a usable
 *   address: answering without delegates would break `ipfs pin remote add`.
 */
export async function resolveDelegates(options: ResolveDelegatesOptions): Promise<string[]> {
  if (options.configured !== undefined && options.configured.length > 0) {
    return [...options.configured]
  }
  if (options.blockstore === 'local') {
    const peerId = await localPeerId(options.localPath)
    return [`${options.localAddress ?? '/ip4/127.0.0.1/tcp/4001'}/p2p/${peerId}`]
  }
  const fetchFn = options.fetch ?? fetch
  let problem = 'no /p2p/ address in its answer'
  try {
    const response = await fetchFn(new URL('api/v0/id', withSlash(options.kuboRpcUrl)), {
      method: 'POST',
      signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
    })
    if (response.ok) {
      const body = (await response.json()) as { Addresses?: unknown }
      const addresses = Array.isArray(body.Addresses)
        ? body.Addresses.filter((a): a is string => typeof a === 'string')
        : []
      const delegates = selectDelegates(addresses)
      if (delegates.length > 0) return delegates
    } else {
      problem = `HTTP ${response.status}`
    }
  } catch (error) {
    problem = error instanceof Error ? error.message : String(error)
  }
  throw new Error(
    `PIN_DELEGATES is not set and Kubo at ${options.kuboRpcUrl} gave no delegate address ` +
      `(${problem}); set PIN_DELEGATES to the multiaddrs of the IPFS nodes that hold the pins, ` +
      'e.g. /ip4/203.0.113.7/tcp/4001/p2p/12D3KooW…',
  )
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`
}
