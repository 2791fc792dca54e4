/**
 * Where a pin's content may come from. Pinning Service API `origins` are multiaddrs; operators
 * configure trustless gateways as URLs. This module turns both into what each backend can use:
 * HTTP(S) base URLs for trustless-gateway fetches, and `/p2p/` multiaddrs for Kubo to dial.
 */

/** Origins split by how they can be reached. */
export interface ParsedOrigins {
  /** Base URLs (`http://host:port`, no trailing slash) of trustless gateways. */
  http: string[]
  /** Multiaddrs naming a libp2p peer (`…/p2p/<id>`), for Kubo's `swarm/connect`. */
  p2p: string[]
}

const hostProtocols = new Set(['ip4', 'ip6', 'dns', 'dns4', 'dns6'])

function fromUrl(text: string): string | undefined {
  try {
    const url = new URL(text)
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined
    // A gateway's /ipfs/ path is ours to add; keep a path prefix if one was given.
    const path = url.pathname.replace(/\/+$/, '').replace(/\/ipfs$/, '')
    return `${url.protocol}//${url.host}${path}`
  } catch {
    return undefined
  }
}

/**
 * The HTTP base URL an HTTP multiaddr names (`/ip4/1.2.3.4/tcp/8080/http`,
 * `/dns4/example.com/tcp/443/https`, `/dns/example.com/tcp/443/tls/http`, optionally followed by
 * `/p2p/<id>`), or undefined when it names no HTTP endpoint.
 */
export function httpUrlFromMultiaddr(multiaddr: string): string | undefined {
  const parts = multiaddr.split('/')
  // "/ip4/1.2.3.4/tcp/80/http" splits into ['', 'ip4', '1.2.3.4', 'tcp', '80', 'http', …]
  const [empty, hostProtocol, host, tcp, port, ...rest] = parts
  if (empty !== '' || hostProtocol === undefined || !hostProtocols.has(hostProtocol))
    return undefined
  if (host === undefined || host === '' || tcp !== 'tcp' || port === undefined) return undefined
  const portNumber = Number(port)
  if (!Number.isInteger(portNumber) || portNumber <= 0 || portNumber > 65535) return undefined
  let scheme: 'http' | 'https'
  if (rest[0] === 'https' || (rest[0] === 'tls' && rest[1] === 'http')) scheme = 'https'
  else if (rest[0] === 'http') scheme = 'http'
  else return undefined
  const hostPart = hostProtocol === 'ip6' ? `[${host}]` : host
  const defaultPort = scheme === 'https' ? 443 : 80
  return `${scheme}://${hostPart}${portNumber === defaultPort ? '' : `:${portNumber}`}`
}

/**
 * Sorts origins into HTTP base URLs and `/p2p/` multiaddrs, dropping duplicates and anything
 * unusable (unknown schemes, malformed addresses).
 */
export function parseOrigins(origins: readonly string[]): ParsedOrigins {
  const http = new Set<string>()
  const p2p = new Set<string>()
  for (const raw of origins) {
    const origin = raw.trim()
    if (origin.startsWith('/')) {
      const url = httpUrlFromMultiaddr(origin)
      if (url !== undefined) http.add(url)
      else if (/\/p2p\/[^/]+$/.test(origin)) p2p.add(origin)
    } else {
      const url = fromUrl(origin)
      if (url !== undefined) http.add(url)
    }
  }
  return { http: [...http], p2p: [...p2p] }
}
