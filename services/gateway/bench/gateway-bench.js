// Gateway benchmark, every figure next to a baseline measured in the same run:
//
//   1. a 1 KiB file at 64 concurrent connections (autocannon, in a child process): requests/s,
//      p99 latency and server CPU per request, against a bare node:http server answering the same
//      bytes from memory (and, for reference, the service-kit app doing the same);
//   2. a 1 GiB file downloaded by curl: MB/s against reading the same blocks from the blockstore
//      directly (and the gateway process's RSS while it streams);
//   3. a CAR export of a ~10,000-block DAG: blocks/s, against the blockstore's own exportCar.
//
//   pnpm --filter @pinion/gateway bench          (builds first, then runs this file)
//   BENCH_FILE_MIB=256 BENCH_DURATION_S=5 node bench/gateway-bench.js
//
// The gateway runs in this process exactly as deployed (Postgres, NATS, token auth, quota and
// metering, the local blockstore); the load generators run in child processes so they do not
// share its event loop. Everything lives in a fresh test environment and stops by itself.
import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { once } from 'node:events'
import { createServer } from 'node:http'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { walkDag } from '@pinion/blockstore'
import { createApiToken, createUser } from '@pinion/db'
import { createServiceContext } from '@pinion/platform'
import { createTestEnvironment } from '@pinion/platform/testing'
import {
  createLogger,
  createServiceApp,
  createServiceDeps,
  parseConfig,
  startAll,
  stopAll,
} from '@pinion/service-kit'
import { importer } from 'ipfs-unixfs-importer'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { fixedSize } from 'ipfs-unixfs-importer/chunker'
import { ConfigSchema, buildDepsWith, createApp } from '../dist/index.js'

const MiB = 1024 * 1024
const fileMiB = Number(process.env.BENCH_FILE_MIB ?? 1024)
const durationS = Number(process.env.BENCH_DURATION_S ?? 10)
const connections = 64
const rounds = Number(process.env.BENCH_ROUNDS ?? 3)
const autocannon = fileURLToPath(new URL('../node_modules/.bin/autocannon', import.meta.url))
const run = promisify(execFile)
const since = (start) => Number(process.hrtime.bigint() - start) / 1e9

async function listen(handler) {
  const server = createServer(handler)
  server.keepAliveTimeout = 60_000
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  return { server, url: `http://127.0.0.1:${server.address().port}` }
}

/**
 * Imports content as one UnixFS file (CIDv1, raw leaves of `chunkSize`) into the blockstore,
 * 256 blocks at a time so memory stays bounded; returns the root.
 */
async function importFile(blockstore, content, chunkSize) {
  const blocks = []
  const store = {
    put: async (cid, bytes) => {
      blocks.push({ cid, bytes })
      if (blocks.length >= 256) await blockstore.putMany(blocks.splice(0))
      return cid
    },
  }
  let root
  for await (const entry of importer([{ content }], store, {
    cidVersion: 1,
    rawLeaves: true,
    chunker: fixedSize({ chunkSize }),
  })) {
    root = entry.cid
  }
  await blockstore.putMany(blocks.splice(0))
  return root
}

/** `count` chunks of `size` random bytes. */
async function* randomChunks(count, size) {
  for (let i = 0; i < count; i++) yield randomBytes(size)
}

/**
 * One autocannon run; also the CPU this process (the server) spent per request. `failing`: every
 * answer is expected to be an error status (and none may succeed).
 */
async function load(url, headers = {}, failing = false) {
  const args = ['-c', String(connections), '-d', String(durationS), '-j']
  for (const [name, value] of Object.entries(headers)) args.push('-H', `${name}=${value}`)
  const cpu = process.cpuUsage()
  const { stdout } = await run(autocannon, [...args, url], { maxBuffer: 64 * MiB })
  const used = process.cpuUsage(cpu)
  const result = JSON.parse(stdout)
  const failures =
    (failing ? result.requests.total - result.non2xx : result.non2xx) +
    result.errors +
    result.timeouts
  if (failures > 0) throw new Error(`${failures} unexpected answers from ${url}`)
  return {
    rps: result.requests.average,
    p99: result.latency.p99,
    p50: result.latency.p50,
    cpuUs: (used.user + used.system) / Math.max(1, result.requests.total),
  }
}

/** The best of each over interleaved rounds: the machine is shared, so load comes and goes. */
async function compare(rounds, first, second) {
  const best = (a, b) => (a === undefined || b.rps > a.rps ? b : a)
  let x
  let y
  for (let round = 0; round < rounds; round++) {
    x = best(x, await first())
    y = best(y, await second())
  }
  return [x, y]
}

/** Downloads with curl (a separate process); returns seconds and bytes. */
async function download(url, token) {
  const start = process.hrtime.bigint()
  const { stdout } = await run('curl', [
    '-sS',
    '-o',
    '/dev/null',
    '-w',
    '%{size_download}',
    '-H',
    `Authorization: Bearer ${token}`,
    url,
  ])
  return { seconds: since(start), bytes: Number(stdout) }
}

function sampleRss() {
  let peak = process.memoryUsage().rss
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50)
  return () => {
    clearInterval(timer)
    return peak
  }
}

const fmt = (value, digits = 0) =>
  value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })

async function main() {
  const environment = await createTestEnvironment({ GATEWAY_USAGE_FLUSH_MS: '5000' })
  const logger = createLogger({ service: 'gateway-bench', level: 'silent' })
  const config = parseConfig(ConfigSchema, environment.env)
  const deps = await buildDepsWith(config, createServiceContext('gateway', logger))
  await startAll(deps.startables, logger)
  const { server, url } = await listen(createApp(deps))
  try {
    const user = await createUser(environment.database.prisma, {
      email: 'bench@example.org',
      displayName: 'Bench',
    })
    const row = await createApiToken(environment.database.prisma, {
      userId: user.id,
      name: 'bench',
      scopes: ['gateway'],
    })
    const token = await deps.auth.issuer.issueApiToken({
      userId: user.id,
      tokenId: row.id,
      scopes: ['gateway'],
    })
    const auth = { Authorization: `Bearer ${token}` }
    console.log(
      `gateway bench: ${connections} connections, ${durationS} s per load, ${fileMiB} MiB file, blockstore ${config.BLOCKSTORE}`,
    )

    // 1. Small file: requests/s and p99 against a bare node:http server with the same bytes.
    const small = randomBytes(1024)
    const smallRoot = await importFile(deps.blockstore, [small], 1024)
    const bare = await listen((_req, res) => {
      res.writeHead(200, {
        'Content-Type': 'application/octet-stream',
        'Content-Length': small.length,
      })
      res.end(small)
    })
    // The floor every Pinion service stands on: the service-kit app (request ids, logging,
    // metrics, error handling) answering the same bytes from memory, without auth or blockstore.
    const kit = await listen(
      createServiceApp(createServiceDeps('bench', logger), {
        mount: (app) =>
          app.get('/small', (_req, res) => {
            res.type('application/octet-stream').send(small)
          }),
      }),
    )
    const floor = await load(`${kit.url}/small`)
    kit.server.close()
    const [baseline, gateway] = await compare(
      rounds,
      () => load(bare.url),
      () => load(`${url}/gateway/api/v1/ipfs/${smallRoot}`, auth),
    )
    bare.server.close()
    const line = (name, r) =>
      `  ${name} ${fmt(r.rps)} req/s  p50 ${r.p50} ms  p99 ${r.p99} ms  ${fmt(r.cpuUs)} µs CPU/request`
    console.log(`1 KiB file, ${connections} connections (best of ${rounds} interleaved rounds):`)
    console.log(line('bare node:http', baseline))
    console.log(line('service-kit   ', floor))
    console.log(line('gateway       ', gateway))
    console.log(
      `  ratio          ${fmt(gateway.rps / baseline.rps, 2)} of bare req/s (goal >= 0.5)`,
    )
    console.log(
      `                 ${fmt(gateway.rps / floor.rps, 2)} of the service-kit floor's req/s`,
    )
    // A failed read (content not here: 404) costs about what a success does, not a second pass
    // through Express.
    const absent = CID.createV1(raw.code, await sha256.digest(randomBytes(64)))
    const missing = await load(`${url}/gateway/api/v1/ipfs/${absent}`, auth, true)
    console.log(
      `${line('404 (absent)  ', missing)}  (${fmt(missing.rps / gateway.rps, 2)} of the 1 KiB file's)`,
    )

    // 2. Large file: MB/s over HTTP against reading the same blocks from the blockstore directly.
    const importStart = process.hrtime.bigint()
    const bigRoot = await importFile(deps.blockstore, randomChunks(fileMiB, MiB), 256 * 1024)
    console.log(
      `${fileMiB} MiB file (imported in ${fmt(since(importStart), 1)} s), best of ${rounds} interleaved rounds:`,
    )
    const readDirect = async () => {
      let bytes = 0
      const start = process.hrtime.bigint()
      for await (const node of walkDag(deps.blockstore, bigRoot, { readAhead: 4 }))
        bytes += node.size
      return { rps: bytes / MiB / since(start) }
    }
    // For reference, the same blocks read into reused buffers (Blockstore.readInto, 4 in flight),
    // without the fresh buffer per block (and the garbage collection) a plain read pays.
    const blockCids = []
    for await (const node of walkDag(deps.blockstore, bigRoot)) blockCids.push(node.cid)
    const readPooled = async () => {
      const buffers = Array.from({ length: 4 }, () => new Uint8Array(256 * 1024 + 4096))
      let bytes = 0
      const start = process.hrtime.bigint()
      for (let at = 0; at < blockCids.length; at += buffers.length) {
        const batch = blockCids.slice(at, at + buffers.length)
        const lengths = await Promise.all(
          batch.map((cid, index) => deps.blockstore.readInto(cid, buffers[index])),
        )
        for (const length of lengths) bytes += length
      }
      return { rps: bytes / MiB / since(start) }
    }
    const pooled = (await compare(1, readPooled, readPooled))[0].rps
    let rssBefore = 0
    let rssPeak = 0
    const readGateway = async () => {
      rssBefore = process.memoryUsage().rss
      const stopSampling = sampleRss()
      const fetched = await download(`${url}/gateway/api/v1/ipfs/${bigRoot}`, token)
      rssPeak = Math.max(rssPeak, stopSampling())
      if (fetched.bytes !== fileMiB * MiB) throw new Error(`downloaded ${fetched.bytes} bytes`)
      return { rps: fetched.bytes / MiB / fetched.seconds }
    }
    const [directBest, servedBest] = await compare(rounds, readDirect, readGateway)
    const direct = directBest.rps
    const served = servedBest.rps
    console.log(`  blockstore read ${fmt(direct)} MiB/s (every block, DFS, read-ahead 4)`)
    console.log(`  gateway (curl)  ${fmt(served)} MiB/s`)
    console.log(`  ratio           ${fmt(served / direct, 2)} of direct reads (goal >= 0.7)`)
    console.log(
      `  for reference   ${fmt(pooled)} MiB/s reading into reused buffers (readInto); gateway ${fmt(served / pooled, 2)} of it`,
    )
    console.log(
      `  gateway RSS     ${fmt(rssBefore / MiB)} MiB before, ${fmt(rssPeak / MiB)} MiB peak while streaming`,
    )

    // 3. CAR export of a ~10,000-block DAG (1 KiB leaves).
    const carRoot = await importFile(deps.blockstore, randomChunks(9943, 1024), 1024)
    let carBlocks = 0
    for await (const _node of walkDag(deps.blockstore, carRoot)) carBlocks += 1
    const exportDirect = async () => {
      const start = process.hrtime.bigint()
      for await (const chunk of deps.blockstore.exportCar(carRoot)) void chunk
      return { rps: carBlocks / since(start) }
    }
    const exportGateway = async () => {
      const car = await download(`${url}/gateway/api/v1/ipfs/${carRoot}?format=car`, token)
      return { rps: carBlocks / car.seconds }
    }
    const [exported, carServed] = await compare(rounds, exportDirect, exportGateway)
    console.log(`CAR export of a ${fmt(carBlocks)}-block DAG, best of ${rounds} rounds:`)
    console.log(`  blockstore exportCar ${fmt(exported.rps)} blocks/s`)
    console.log(`  gateway ?format=car  ${fmt(carServed.rps)} blocks/s`)
    console.log(`  ratio                ${fmt(carServed.rps / exported.rps, 2)} of exportCar`)
  } finally {
    server.closeAllConnections()
    server.close()
    await stopAll(deps.startables, logger)
    await environment.cleanup()
  }
}

await main()
