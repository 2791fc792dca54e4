import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { accessSync, constants } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer, connect as tcpConnect } from 'node:net'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { jetstreamManager } from '@nats-io/jetstream'
import { connect } from '@nats-io/transport-node'

/**
 * NATS JetStream for integration tests: the shared server every engineer's tests use (isolated by a
 * namespace per test file or test) and private servers that fault tests may stop and restart.
 *
 * Namespace convention (the one `@pinion/messaging` applies): a namespace `ns` prefixes stream
 * names as `NS_<STREAM>` and subjects as `ns.<subject>`, so two test files never share a stream.
 */

/** URL of the shared NATS server: `PINION_TEST_NATS_URL`, default `nats://127.0.0.1:4222`. */
export function natsUrl(): string {
  return process.env.PINION_TEST_NATS_URL ?? 'nats://127.0.0.1:4222'
}

/**
 * A namespace no other test, worker or concurrent run will use: a letter followed by 11 lower-case
 * alphanumerics (e.g. `t3k9a0c1f2e4`), valid in stream names and as a subject token.
 */
export function uniqueNamespace(): string {
  const pid = (process.pid % 36 ** 3).toString(36).padStart(3, '0')
  return `t${pid}${randomBytes(4).toString('hex')}`
}

/**
 * Deletes every stream of `namespace` (names starting with `<NAMESPACE>_`) on the server at `url`,
 * and with them their consumers. Safe to call when nothing was created.
 *
 * @throws when the server is unreachable or JetStream is not enabled.
 */
export async function cleanupNamespace(url: string, namespace: string): Promise<void> {
  if (!/^[a-z][a-z0-9]*$/.test(namespace)) throw new RangeError(`invalid namespace "${namespace}"`)
  const prefix = `${namespace.toUpperCase()}_`
  const nc = await connect({ servers: url, name: 'pinion-test-cleanup' })
  try {
    const jsm = await jetstreamManager(nc)
    const names: string[] = []
    for await (const name of jsm.streams.names()) if (name.startsWith(prefix)) names.push(name)
    await Promise.all(names.map((name) => jsm.streams.delete(name)))
  } finally {
    await nc.close()
  }
}

/** A private nats-server started by {@link startNatsServer}. */
export interface NatsServerHandle {
  /** `nats://127.0.0.1:<port>`; the same across restarts. */
  readonly url: string
  readonly port: number
  /** Kills the server (SIGTERM, then SIGKILL after 5 s) and deletes its storage directory. */
  stop(): Promise<void>
  /** Stops the process and starts it again on the same port and storage (JetStream state kept). */
  restart(): Promise<void>
  /** Stops the process but keeps the storage, so a later {@link NatsServerHandle.restart} resumes. */
  kill(): Promise<void>
}

export interface NatsServerOptions {
  /** Enable JetStream (`-js`) with a temporary storage directory. Default true. */
  jetstream?: boolean
  /** How long to wait for the server to accept connections, in ms. Default 10 000. */
  readyTimeoutMs?: number
}

/** The nats-server binary: `/usr/sbin/nats-server` (Debian's package) or the first one on PATH. */
export function findNatsServerBinary(): string {
  const candidates = [
    '/usr/sbin/nats-server',
    ...(process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, 'nats-server')),
  ]
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK)
      return candidate
    } catch {
      // not here; try the next one
    }
  }
  throw new Error('nats-server not found in /usr/sbin or on PATH (apt-get install nats-server)')
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port)
        else reject(new Error('no port assigned'))
      })
    })
  })
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tcpConnect({ port, host: '127.0.0.1' })
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}

async function waitForPort(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`nats-server exited with ${child.exitCode}`)
    if (await canConnect(port)) return
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`nats-server did not listen on ${port} within ${timeoutMs} ms`)
}

async function killProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
  await exited
  clearTimeout(timer)
}

/**
 * Spawns a private `nats-server -p <free port> -a 127.0.0.1 [-js -sd <tmpdir>]` for fault tests
 * (restart, outage) that must not disturb the shared server. Resolves once it accepts TCP
 * connections; JetStream may need a few more milliseconds to answer API requests.
 *
 * @throws when the binary is missing or the server does not start within `readyTimeoutMs`.
 */
export async function startNatsServer(options: NatsServerOptions = {}): Promise<NatsServerHandle> {
  const binary = findNatsServerBinary()
  const port = await freePort()
  const storeDir = await mkdtemp(join(tmpdir(), 'pinion-nats-'))
  const args = ['-p', String(port), '-a', '127.0.0.1']
  if (options.jetstream ?? true) args.push('-js', '-sd', storeDir)
  const readyTimeoutMs = options.readyTimeoutMs ?? 10_000
  let child: ChildProcess | undefined

  const spawnServer = async (): Promise<void> => {
    const started = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] })
    // Keep the tail of stderr so a failed start says why.
    let stderr = ''
    started.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000)
    })
    child = started
    try {
      await waitForPort(port, started, readyTimeoutMs)
    } catch (error) {
      await killProcess(started)
      throw new Error(`${(error as Error).message}\n${stderr}`, { cause: error })
    }
  }

  const kill = async (): Promise<void> => {
    if (child) await killProcess(child)
  }

  await spawnServer()
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    kill,
    async restart() {
      await kill()
      await spawnServer()
    },
    async stop() {
      await kill()
      await rm(storeDir, { recursive: true, force: true })
    },
  }
}
