/**
 * The prover under test on real infrastructure: a fresh database, NATS namespace and local
 * blockstore per file, the real tagging and proving threads, and users with `prover` tokens.
 * Content is written with the blockstore's `putMany` from a UnixFS import and pinned by inserting
 * the pin row directly (the upload service and the worker are built in parallel).
 */
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createApiToken, createUser } from '@pinion/db'
import { createServiceContext } from '@pinion/platform'
import { createTestEnvironment, type TestEnvironment } from '@pinion/platform/testing'
import { createLogger, parseConfig, startAll, stopAll } from '@pinion/service-kit'
import type { Express } from 'express'
import { importBytes } from 'ipfs-unixfs-importer'
import { base32 } from 'multiformats/bases/base32'
import type { CID } from 'multiformats/cid'
import request from 'supertest'
import { createApp } from '../src/app.js'
import { ConfigSchema } from '../src/config.js'
import { buildDepsWith, type ProverDeps } from '../src/deps.js'

const primes = JSON.parse(
  readFileSync(new URL('./fixtures/safe-primes.json', import.meta.url), 'utf8'),
) as { bits1024: string[] }

/** A running prover and what a test needs around it. */
export interface Harness {
  readonly environment: TestEnvironment
  app: Express
  deps: ProverDeps
  /** Stops and rebuilds the service on the same database and blockstore (a restart). */
  restart(): Promise<void>
  /** A new user with a `prover` token. */
  user(): Promise<{ id: string; token: string }>
  /** Imports `bytes` as a UnixFS file (1 KiB chunks, raw leaves) and pins it for `userId`. */
  pinFile(userId: string, bytes: Uint8Array): Promise<CID>
  /** Flips one byte of a stored block on disk; returns a function that restores it. */
  corrupt(cid: CID): Promise<() => Promise<void>>
  stop(): Promise<void>
}

const logger = createLogger({
  service: 'prover-test',
  level: (process.env.PINION_TEST_LOG_LEVEL as 'silent' | undefined) ?? 'silent',
})

/** Starts the prover with `extra` variables on a fresh environment. */
export async function startProver(extra: Record<string, string> = {}): Promise<Harness> {
  const environment = await createTestEnvironment({
    PROVER_SECRETS_KEY: randomBytes(32).toString('hex'),
    PROVER_TAG_WAIT_MS: '0',
    ...extra,
  })
  const config = parseConfig(ConfigSchema, environment.env)
  const build = async () => {
    const deps = await buildDepsWith(config, createServiceContext('prover', logger), {
      safePrimes: primes.bits1024,
    })
    await startAll(deps.startables, deps.logger)
    return deps
  }
  let deps = await build()
  let created = 0
  const harness: Harness = {
    environment,
    deps,
    app: createApp(deps),
    async restart() {
      await stopAll(deps.startables, deps.logger)
      deps = await build()
      harness.deps = deps
      harness.app = createApp(deps)
    },
    async user() {
      const prisma = deps.database.prisma
      const user = await createUser(prisma, {
        email: `u${created++}-${randomBytes(4).toString('hex')}@example.org`,
        displayName: 'Auditor',
      })
      const row = await createApiToken(prisma, { userId: user.id, name: 't', scopes: ['prover'] })
      const token = await deps.auth.issuer!.issueApiToken({
        userId: user.id,
        tokenId: row.id,
        scopes: ['prover'],
      })
      return { id: user.id, token }
    },
    async pinFile(userId, bytes) {
      const blocks: { cid: CID; bytes: Uint8Array }[] = []
      const store = {
        put: async (cid: CID, block: Uint8Array) => {
          blocks.push({ cid, bytes: block })
          return cid
        },
      }
      const entry = await importBytes(bytes, store as never, {
        cidVersion: 1,
        rawLeaves: true,
        chunker: (await import('ipfs-unixfs-importer/chunker')).fixedSize({ chunkSize: 1024 }),
      })
      await deps.blockstore.putMany(blocks)
      await deps.blockstore.pin(entry.cid)
      await deps.database.prisma.pin.create({
        data: {
          userId,
          cid: entry.cid.toString(),
          cidKey: entry.cid.toV1().toString(),
          created: new Date(Date.now() + created++),
          status: 'pinned',
        },
      })
      return entry.cid
    },
    async corrupt(cid) {
      const name = `${base32.baseEncode(cid.multihash.bytes)}.data`
      const root = join(environment.blockstorePath, 'blocks')
      for (const shard of await readdir(root)) {
        if (!(await readdir(join(root, shard))).includes(name)) continue
        const path = join(root, shard, name)
        const original = await readFile(path)
        const flipped = Buffer.from(original)
        flipped[0] = flipped[0]! ^ 0x01
        await writeFile(path, flipped)
        return () => writeFile(path, original)
      }
      throw new Error(`block ${cid} not on disk`)
    },
    async stop() {
      await stopAll(deps.startables, deps.logger)
      await environment.cleanup()
    },
  }
  return harness
}

/** Authenticated JSON request helpers for one user. */
export function api(harness: Harness, token: string) {
  const auth = (r: request.Test) => r.set('Authorization', `Bearer ${token}`)
  return {
    post: (path: string, body: object) => auth(request(harness.app).post(path)).send(body),
    get: (path: string) => auth(request(harness.app).get(path)),
    delete: (path: string) => auth(request(harness.app).delete(path)),
  }
}

/** Creates a key and returns the response body. */
export async function createKey(
  harness: Harness,
  token: string,
  body: Record<string, unknown>,
): Promise<{ key_id: string; client_setup: string; owner_secret?: string; suite: string }> {
  const res = await api(harness, token).post('/prover/api/v1/challenge-key', body)
  if (res.status !== 201)
    throw new Error(`challenge-key: ${res.status} ${JSON.stringify(res.body)}`)
  return res.body
}

/** Tags `root` under `keyId` and polls `GET /tag` until it is no longer `tagging`. */
export async function tag(
  harness: Harness,
  token: string,
  keyId: string,
  root: CID | string,
  timeoutMs = 20_000,
) {
  const client = api(harness, token)
  const started = await client.post('/prover/api/v1/tag', { key_id: keyId, root: root.toString() })
  if (started.status !== 202 && started.status !== 200)
    throw new Error(`tag: ${started.status} ${JSON.stringify(started.body)}`)
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const res = await client.get(
      `/prover/api/v1/tag?${new URLSearchParams({ key_id: keyId, root: root.toString() })}`,
    )
    if (res.body.status !== 'tagging') return res.body as Record<string, unknown>
    if (Date.now() > deadline) throw new Error(`tagging did not finish in ${timeoutMs} ms`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

/** `POST /prover/prove` without auth; returns the response with the body as bytes. */
export async function proveRaw(
  harness: Harness,
  body: { key_id: string; roots?: string[]; challenge: string },
) {
  return request(harness.app)
    .post('/prover/prove')
    .send(body)
    .buffer(true)
    .parse((res, callback) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => callback(null, Buffer.concat(chunks)))
    })
}

/** Standard base64 of bytes. */
export const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64')
