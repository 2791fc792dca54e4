// Upload benchmark: a 1 GiB application/octet-stream upload and a 1 GiB CAR upload through the
// real HTTP service (built dist/, local blockstore, real Postgres and NATS), each against
// coreutils `sha256sum` of the same file in the same run. Goal: ≥ 40% of sha256sum's throughput.
//
//   pnpm --filter @pinion/upload bench          (builds first)
//   BENCH_SIZE_MIB=256 node bench/upload-bench.mjs
import { spawn } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { once } from 'node:events'
import { createReadStream, createWriteStream } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createTestEnvironment } from '@pinion/platform/testing'
import { createLogger, parseConfig, startAll, stopAll } from '@pinion/service-kit'
import { buildDeps, ConfigSchema, createApp } from '@pinion/upload'
import { createUploadUser } from '@pinion/upload/testing'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { encodeCarHeader } from '@pinion/blockstore'

const MiB = 1024 * 1024
const sizeMiB = Number(process.env.BENCH_SIZE_MIB ?? 1024)
const since = (start) => Number(process.hrtime.bigint() - start) / 1e9

async function writeFile(file, chunks) {
  const out = createWriteStream(file)
  for await (const chunk of chunks) if (!out.write(chunk)) await once(out, 'drain')
  out.end()
  await once(out, 'finish')
}

async function* randomData() {
  for (let i = 0; i < sizeMiB; i++) yield randomBytes(MiB)
}

/** A CAR of 1 MiB raw blocks (sha2-256), the root being the first block. */
async function* carOf(dataFile) {
  let first = true
  for await (const bytes of createReadStream(dataFile, { highWaterMark: MiB })) {
    const digest = createHash('sha256').update(bytes).digest()
    const cid = CID.createV1(raw.code, {
      code: 0x12,
      size: 32,
      digest,
      bytes: Buffer.concat([Buffer.from([0x12, 32]), digest]),
    })
    if (first) {
      yield encodeCarHeader([cid])
      first = false
    }
    const length = cid.bytes.length + bytes.length
    const varint = []
    for (let rest = length; ; rest = Math.floor(rest / 128)) {
      if (rest < 128) {
        varint.push(rest)
        break
      }
      varint.push((rest % 128) | 0x80)
    }
    yield Buffer.concat([Buffer.from(varint), cid.bytes, bytes])
  }
}

async function sha256sum(file) {
  const start = process.hrtime.bigint()
  const child = spawn('sha256sum', [file], { stdio: ['ignore', 'ignore', 'inherit'] })
  const [code] = await once(child, 'exit')
  if (code !== 0) throw new Error(`sha256sum exited with ${code}`)
  return since(start)
}

function upload(url, token, file, type) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint()
    const req = request(
      url,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': type,
          'transfer-encoding': 'chunked',
        },
      },
      (res) => {
        const chunks = []
        res.on('data', (chunk) => chunks.push(chunk))
        res.on('end', () => {
          const seconds = since(start)
          if (res.statusCode !== 202)
            reject(new Error(`${res.statusCode} ${Buffer.concat(chunks)}`))
          else resolve(seconds)
        })
      },
    )
    req.on('error', reject)
    createReadStream(file, { highWaterMark: MiB }).pipe(req)
  })
}

const work = await mkdtemp(join(tmpdir(), 'pinion-upload-bench-'))
const environment = await createTestEnvironment({ LOG_LEVEL: 'warn' })
const logger = createLogger({ service: 'upload-bench', level: 'warn' })
const deps = await buildDeps(parseConfig(ConfigSchema, environment.env), logger)
await startAll(deps.startables, logger)
const server = createApp(deps).listen(0, '127.0.0.1')
await once(server, 'listening')
try {
  const { token } = await createUploadUser(deps)
  const url = `http://127.0.0.1:${server.address().port}/upload/api/v1/`

  const dataFile = join(work, 'data.bin')
  const carFile = join(work, 'data.car')
  await writeFile(dataFile, randomData())
  await writeFile(carFile, carOf(dataFile))

  const rows = []
  for (const [name, file, type] of [
    ['octet-stream (UnixFS import)', dataFile, 'application/octet-stream'],
    ['CAR (verified import)', carFile, 'application/vnd.ipld.car'],
  ]) {
    const hashSeconds = await sha256sum(file)
    const uploadSeconds = await upload(url, token, file, type)
    rows.push({ name, hash: sizeMiB / hashSeconds, upload: sizeMiB / uploadSeconds })
  }
  console.log(
    `\nUpload benchmark: ${sizeMiB} MiB, local blockstore, loopback HTTP, ${process.version}\n`,
  )
  console.log(
    '| upload                       | upload MiB/s | sha256sum MiB/s | ratio | goal ≥ 0.40 |',
  )
  console.log(
    '| ---------------------------- | ------------ | --------------- | ----- | ----------- |',
  )
  for (const { name, hash, upload } of rows) {
    const ratio = upload / hash
    console.log(
      `| ${name.padEnd(28)} | ${upload.toFixed(0).padStart(12)} | ${hash.toFixed(0).padStart(15)} | ${ratio.toFixed(2).padStart(5)} | ${(ratio >= 0.4 ? 'met' : 'MISSED').padEnd(11)} |`,
    )
  }
} finally {
  server.closeAllConnections()
  server.close()
  await stopAll(deps.startables, logger)
  await environment.cleanup()
  await rm(work, { recursive: true, force: true })
}
