// Node CPU per `POST /pins` of the real service (built dist/, Postgres, NATS JetStream), measured
// in the server process only: the load comes from a child process, so its HTTP client costs are
// not counted. CPU µs per request is the figure that does not depend on what else the machine
// runs; the req/s printed alongside does.
//
//   node bench/cpu-per-request.mjs                 (BENCH_REQUESTS=4000 BENCH_CLIENTS=64)
//   BENCH_CPU_PROFILE=/tmp/post.cpuprofile …       (a V8 CPU profile of the measured requests)
import { fork } from 'node:child_process'
import { once } from 'node:events'
import { writeFile } from 'node:fs/promises'
import { Agent, request } from 'node:http'
import { Session } from 'node:inspector/promises'
import { performance } from 'node:perf_hooks'
import { createApiToken, createUser } from '@pinion/db'
import { buildDeps, ConfigSchema, createApp } from '@pinion/pinning-api'
import { createTestEnvironment } from '@pinion/platform/testing'
import { createLogger, parseConfig, startAll, stopAll } from '@pinion/service-kit'

const requests = Number(process.env.BENCH_REQUESTS ?? 4000)
const clients = Number(process.env.BENCH_CLIENTS ?? 64)

if (process.argv[2] === 'load') {
  // The child: `clients` keep-alive lanes POSTing distinct CIDs until `requests` are done.
  const [origin, tokens] = await once(process, 'message').then(([m]) => [m.origin, m.tokens])
  const { CID } = await import('multiformats/cid')
  const raw = await import('multiformats/codecs/raw')
  const { sha256 } = await import('multiformats/hashes/sha2')
  const agent = new Agent({ keepAlive: true, maxSockets: clients })
  const post = (token, body) =>
    new Promise((resolve, reject) => {
      const req = request(
        `${origin}/pinning/api/v1/pins`,
        {
          method: 'POST',
          agent,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        },
        (res) => {
          res.resume()
          res.on('end', () => resolve(res.statusCode))
        },
      )
      req.on('error', reject)
      req.end(body)
    })
  let sent = 0
  let failures = 0
  const run = async (warm) => {
    const total = warm ? Math.min(500, requests) : requests
    let issued = 0
    await Promise.all(
      tokens.map(async (token) => {
        while (issued < total) {
          issued += 1
          sent += 1
          const cid = CID.createV1(
            raw.code,
            await sha256.digest(Buffer.from(`bench ${sent} ${origin}`)),
          )
          const status = await post(
            token,
            JSON.stringify({ cid: cid.toString(), name: `n${sent}` }),
          )
          if (status !== 202) failures += 1
        }
      }),
    )
  }
  await run(true)
  process.send({ warm: true })
  await once(process, 'message')
  await run(false)
  process.send({ done: true, failures })
  agent.destroy()
  process.exit(0)
}

const logger = createLogger({ service: 'pinning-cpu-bench', level: 'error' })
const environment = await createTestEnvironment({ LOG_LEVEL: 'error' })
const deps = await buildDeps(parseConfig(ConfigSchema, environment.env), logger)
await startAll(deps.startables, logger)
const server = createApp(deps).listen(0, '127.0.0.1')
await once(server, 'listening')
try {
  const prisma = deps.database.prisma
  const tokens = []
  for (let i = 0; i < clients; i += 1) {
    const user = await createUser(prisma, {
      email: `cpu-${i}-${Date.now()}@example.org`,
      displayName: 'cpu',
    })
    const row = await createApiToken(prisma, {
      userId: user.id,
      name: 'bench',
      scopes: ['pinning'],
    })
    tokens.push(
      await deps.auth.issuer.issueApiToken({
        userId: user.id,
        tokenId: row.id,
        scopes: ['pinning'],
      }),
    )
  }
  const child = fork(new URL(import.meta.url), ['load'])
  const replies = []
  child.on('message', (m) => replies.push(m))
  const reply = async () => {
    while (replies.length === 0) await new Promise((resolve) => setTimeout(resolve, 5))
    return replies.shift()
  }
  child.send({ origin: `http://127.0.0.1:${server.address().port}`, tokens })
  await reply() // warm-up done
  let session
  if (process.env.BENCH_CPU_PROFILE) {
    session = new Session()
    session.connect()
    await session.post('Profiler.enable')
    await session.post('Profiler.start')
  }
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  child.send({ go: true })
  const { failures } = await reply()
  const seconds = (performance.now() - t0) / 1000
  const cpu = process.cpuUsage(cpu0)
  if (session) {
    const { profile } = await session.post('Profiler.stop')
    await writeFile(process.env.BENCH_CPU_PROFILE, JSON.stringify(profile))
  }
  console.log(`POST /pins: ${requests} requests, ${clients} clients, ${failures} not 202`)
  console.log(
    `cpu   ${((cpu.user + cpu.system) / requests).toFixed(0)} µs of server Node CPU per request`,
  )
  console.log(`rate  ${(requests / seconds).toFixed(0)} req/s (loaded machine: indicative only)`)
} finally {
  server.close()
  await stopAll(deps.startables, logger)
  await environment.cleanup()
}
