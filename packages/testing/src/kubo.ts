import './with-resolvers.js'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** A running stand-in Kubo: where to reach it, and how to stop it. */
export interface RunningKubo {
  /** Base URL of the Kubo RPC API (`http://127.0.0.1:<port>`), the value for `KUBO_RPC_URL`. */
  readonly rpcUrl: string
  /** Base URL of its read-only HTTP gateway (`/ipfs/<cid>`). */
  readonly gatewayUrl: string
  /** The repo folder in use. */
  readonly repo: string
  /** Stops the daemon; removes the repo too when `startKubo` created it. Idempotent. */
  stop(): Promise<void>
}

export interface StartKuboOptions {
  /**
   * Repo folder to use (kept on stop), e.g. for a dev stack that wants its data to survive
   * restarts. Default: a fresh temporary folder, removed on stop.
   */
  repo?: string
  /** Interface to listen on. Default `127.0.0.1`. */
  host?: string
  /** RPC API port. Default 0 (a free port; read it from `rpcUrl`). */
  apiPort?: number
  /** Gateway port. Default 0. */
  gatewayPort?: number
}

// The parts of ipfs-daemon 0.16 we use. Its published types describe these fields too, but pulling
// them in drags the whole js-ipfs type graph into every package that depends on @pinion/testing.
interface ServerInfo {
  info: { uri: string }
}
interface JsIpfsDaemon {
  start(): Promise<void>
  stop(): Promise<void>
  _httpApi?: { _apiServers: ServerInfo[] }
  _httpGateway?: { _gatewayServers: ServerInfo[] }
}
type DaemonConstructor = new (options: Record<string, unknown>) => JsIpfsDaemon

/**
 * Starts the stand-in Kubo: the js-ipfs daemon (`ipfs-daemon` 0.16, which speaks Kubo's RPC API)
 * in this process, offline (no swarm listeners, no bootstrap peers, no MDNS), with its RPC API and
 * gateway on `host` and ports of your choice (free ones by default). Kubo itself cannot be installed
 * on our machines (its npm package downloads the Go binary from GitHub), see environment.md §5.
 *
 * The `Promise.withResolvers` polyfill that js-ipfs needs on Node 20 is installed by importing this
 * module, before `ipfs-daemon` is loaded (dynamically, so that only callers pay its ~3 s import).
 *
 * Known differences from Kubo (kept behind `@pinion/blockstore`'s kubo adapter): it ignores
 * `cid-codec` on block/put and the global `offline` flag, so a read of a missing block waits for the
 * network until its timeout instead of failing at once.
 *
 * @throws when the daemon cannot start (ports taken, repo locked by another process).
 */
export async function startKubo(options: StartKuboOptions = {}): Promise<RunningKubo> {
  const host = options.host ?? '127.0.0.1'
  const ownRepo = options.repo === undefined
  const repo = options.repo ?? (await mkdtemp(join(tmpdir(), 'pinion-kubo-')))
  const { Daemon } = (await import('ipfs-daemon')) as unknown as { Daemon: DaemonConstructor }
  const daemon = new Daemon({
    repo,
    offline: true,
    silent: true,
    init: { profiles: ['test'] },
    // Start the IPFS node too (the default); without it the HTTP API has nothing to serve.
    start: true,
    config: {
      Addresses: {
        API: `/ip4/${host}/tcp/${options.apiPort ?? 0}`,
        Gateway: `/ip4/${host}/tcp/${options.gatewayPort ?? 0}`,
        Swarm: [],
        // An empty RPC address disables js-ipfs's gRPC server, which otherwise binds 5003 for
        // every daemon and collides with any second one on the machine.
        RPC: '',
      },
      Bootstrap: [],
      Discovery: { MDNS: { Enabled: false }, webRTCStar: { Enabled: false } },
    },
  })
  try {
    await daemon.start()
  } catch (error) {
    if (ownRepo) await rm(repo, { recursive: true, force: true })
    throw error
  }
  const rpcUrl = daemon._httpApi?._apiServers[0]?.info.uri
  const gatewayUrl = daemon._httpGateway?._gatewayServers[0]?.info.uri
  if (rpcUrl === undefined || gatewayUrl === undefined) {
    await daemon.stop()
    throw new Error('js-ipfs daemon started without an RPC API or gateway listener')
  }
  let stopped: Promise<void> | undefined
  return {
    rpcUrl,
    gatewayUrl,
    repo,
    stop: () => {
      stopped ??= (async () => {
        await daemon.stop()
        if (ownRepo) await rm(repo, { recursive: true, force: true })
      })()
      return stopped
    },
  }
}
