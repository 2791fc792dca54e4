// Pinning API benchmark, real parts (built dist/, Postgres, NATS JetStream), two figures:
//
// 1. POST /pins at 64 concurrent clients (one user and token each, keep-alive): throughput and
//    p50/p99 latency, against a bare Express + pg server inserting the same row into the same
//    table in the same run (no auth, validation, clock, reference count, quota or publish).
//    Goal: ≥ 1,500 req/s on 2 cores, ratio ≥ 0.5.
// 2. GET /pins?limit=1000 p50 with 1,000,000 pins in the table (100,000 of them the caller's),
//    bulk-inserted with generate_series, against the same two SQL statements run bare through pg.
//    Goal: < 30 ms.
//
//   pnpm --filter @pinion/pinning-api bench
//   BENCH_POST_SECONDS=10 BENCH_CLIENTS=64 BENCH_TABLE_PINS=1000000 BENCH_CALLER_PINS=100000
import { once } from 'node:events'
import { Agent, request } from 'node:http'
import { performance } from 'node:perf_hooks'
import { createApiToken, createUser } from '@pinion/db'
import { buildDeps, ConfigSchema, createApp } from '@pinion/pinning-api'
import { createTestEnvironment } from '@pinion/platform/testing'
import { createLogger, parseConfig, startAll, stopAll } from '@pinion/service-kit'
import express from 'express'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import pg from 'pg'

const postSeconds = Number(process.env.BENCH_POST_SECONDS ?? 10)
const clients = Number(process.env.BENCH_CLIENTS ?? 64)
const tablePins = Number(process.env.BENCH_TABLE_PINS ?? 1_000_000)
const callerPins = Number(process.env.BENCH_CALLER_PINS ?? 100_000)
const poolMax = Number(process.env.DATABASE_POOL_MAX ?? 20)
const logger = createLogger({ service: 'pinning-bench', level: 'error' })

const environment = await createTestEnvironment({
  LOG_LEVEL: 'error',
  DATABASE_POOL_MAX: String(poolMax),
})
const deps = await buildDeps(parseConfig(ConfigSchema, environment.env), logger)
await startAll(deps.startables, logger)
const prisma = deps.database.prisma
const pool = new pg.Pool({ connectionString: environment.env.DATABASE_URL, max: poolMax })

const agent = new Agent({ keepAlive: true, maxSockets: clients })

function send(url, { method = 'GET', headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, agent }, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(body)
  })
}

async function listen(app) {
  const server = app.listen(0, '127.0.0.1')
  await once(server, 'listening')
  return { server, origin: `http://127.0.0.1:${server.address().port}` }
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
}

async function newUser(i) {
  const user = await createUser(prisma, {
    email: `bench-${i}-${Date.now()}@example.org`,
    displayName: `Bench ${i}`,
  })
  const scopes = ['pinning']
  const row = await createApiToken(prisma, { userId: user.id, name: 'bench', scopes })
  const token = await deps.auth.issuer.issueApiToken({ userId: user.id, tokenId: row.id, scopes })
  return { id: user.id, token }
}

let seq = 0
async function nextCid() {
  seq += 1
  return CID.createV1(raw.code, await sha256.digest(Buffer.from(`bench ${seq}`)))
}

/** `clients` lanes POSTing for `seconds`; each request's latency in ms. */
async function postLoad(url, users, seconds) {
  const latencies = []
  let failures = 0
  const end = performance.now() + seconds * 1000
  const started = performance.now()
  await Promise.all(
    users.map(async (user) => {
      while (performance.now() < end) {
        const cid = (await nextCid()).toString()
        const body = JSON.stringify({ cid, name: `bench ${seq}`, meta: { app: 'bench' } })
        const t0 = performance.now()
        const status = await send(url, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${user.token}`,
            'content-type': 'application/json',
            'x-user-id': user.id,
          },
          body,
        })
        latencies.push(performance.now() - t0)
        if (status !== 202) failures += 1
      }
    }),
  )
  const elapsed = (performance.now() - started) / 1000
  latencies.sort((a, b) => a - b)
  return {
    rate: latencies.length / elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    requests: latencies.length,
    failures,
  }
}

/** The baseline: Express + pg inserting the same row (user from a header, nothing checked). */
function bareApp() {
  const app = express()
  app.post('/pins', express.json(), async (req, res) => {
    const { cid, name, meta } = req.body
    const { rows } = await pool.query(
      `INSERT INTO pins (user_id, cid, cid_key, name, meta, status, source, created, attempts,
                         deadline_at, updated_at)
       VALUES ($1, $2, $2, $3, $4, 'queued', 'api', date_trunc('milliseconds', clock_timestamp()),
               1, now() + interval '1 hour', now())
       ON CONFLICT (user_id, created) DO NOTHING
       RETURNING id, created`,
      [req.get('x-user-id'), cid, name, JSON.stringify(meta)],
    )
    res.status(202).json({ requestid: rows[0]?.id, status: 'queued', created: rows[0]?.created })
  })
  return app
}

function fmt(n, digits = 1) {
  return n.toFixed(digits)
}

try {
  const service = await listen(createApp(deps))
  const bare = await listen(bareApp())
  const users = await Promise.all(Array.from({ length: clients }, (_, i) => newUser(i)))

  // Warm both (JIT, pools, prepared plans), then measure the baseline and the service in turn.
  await postLoad(`${bare.origin}/pins`, users, 1)
  await postLoad(`${service.origin}/pinning/api/v1/pins`, users, 1)
  const baseline = await postLoad(`${bare.origin}/pins`, users, postSeconds)
  const measured = await postLoad(`${service.origin}/pinning/api/v1/pins`, users, postSeconds)
  console.log(`POST /pins, ${clients} concurrent clients, ${postSeconds} s each, pool ${poolMax}:`)
  for (const [label, r] of [
    ['  pinning-api      ', measured],
    ['  bare express+pg  ', baseline],
  ]) {
    console.log(
      `${label} ${fmt(r.rate, 0)} req/s  p50 ${fmt(r.p50)} ms  p99 ${fmt(r.p99)} ms  ` +
        `(${r.requests} requests, ${r.failures} not 202)`,
    )
  }
  console.log(`  throughput ratio pinning-api / baseline: ${fmt(measured.rate / baseline.rate, 2)}`)

  // GET /pins?limit=1000 over a large table.
  const caller = users[0]
  const others = users.slice(1, 10)
  await prisma.$executeRawUnsafe('DELETE FROM pins')
  const started = performance.now()
  const fill = async (userId, count) => {
    await pool.query(
      `INSERT INTO pins (user_id, cid, cid_key, name, meta, status, source, created, attempts,
                         published_at, updated_at)
       SELECT $1::uuid, 'bafkbench' || i, 'bafkbench' || i, 'pin ' || i,
              jsonb_build_object('app', 'bench', 'n', (i % 100)::text),
              (CASE WHEN i % 10 = 0 THEN 'queued' ELSE 'pinned' END)::"PinStatus", 'api',
              timestamptz '2026-01-01' + i * interval '1 millisecond', 1, now(), now()
       FROM generate_series(1, $2::int) AS i`,
      [userId, count],
    )
  }
  await fill(caller.id, callerPins)
  const rest = tablePins - callerPins
  for (const [index, other] of others.entries()) {
    await fill(
      other.id,
      Math.floor(rest / others.length) + (index === 0 ? rest % others.length : 0),
    )
  }
  await pool.query('VACUUM ANALYZE pins')
  const { rows } = await pool.query('SELECT count(*)::int AS n FROM pins')
  console.log(
    `\nGET /pins?limit=1000: ${rows[0].n} pins in the table, ${callerPins} the caller's ` +
      `(filled in ${fmt((performance.now() - started) / 1000)} s)`,
  )

  const url = `${service.origin}/pinning/api/v1/pins?limit=1000`
  const headers = { authorization: `Bearer ${caller.token}` }
  const bareSql = async () => {
    await Promise.all([
      pool.query(
        `SELECT id::text, cid, name, meta, status::text, info, created, origins FROM pins
         WHERE user_id = $1::uuid AND deleted_at IS NULL AND status = ANY($2::"PinStatus"[])
         ORDER BY created DESC LIMIT 1000`,
        [caller.id, ['pinned']],
      ),
      pool.query(
        `SELECT count(*) FROM pins
         WHERE user_id = $1::uuid AND deleted_at IS NULL AND status = ANY($2::"PinStatus"[])`,
        [caller.id, ['pinned']],
      ),
    ])
  }
  const time = async (fn, runs) => {
    const samples = []
    for (let i = 0; i < runs; i += 1) {
      const t0 = performance.now()
      await fn()
      samples.push(performance.now() - t0)
    }
    return samples.sort((a, b) => a - b)
  }
  const status = await send(url, { headers })
  if (status !== 200) throw new Error(`GET /pins answered ${status}`)
  await time(() => send(url, { headers }), 5)
  await time(bareSql, 5)
  const api = await time(() => send(url, { headers }), 50)
  const sql = await time(bareSql, 50)
  console.log(
    `  pinning-api (HTTP, JSON of 1000 PinStatus)  p50 ${fmt(percentile(api, 50))} ms  p99 ${fmt(percentile(api, 99))} ms`,
  )
  console.log(
    `  bare SQL (the same page + count, pg)       p50 ${fmt(percentile(sql, 50))} ms  p99 ${fmt(percentile(sql, 99))} ms`,
  )
  console.log(
    `  p50 ratio pinning-api / bare SQL: ${fmt(percentile(api, 50) / percentile(sql, 50), 2)}`,
  )

  service.server.close()
  bare.server.close()
} finally {
  agent.destroy()
  await pool.end()
  await stopAll(deps.startables, logger)
  await environment.cleanup()
}
