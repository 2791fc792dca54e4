import { request } from 'node:http'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { carStream, generated, multipart, post } from './helpers/http.js'
import { startUpload, type RunningUpload } from './helpers/service.js'

const MiB = 1024 * 1024
let service: RunningUpload
let auth: Record<string, string>
let endpoint: string

beforeAll(async () => {
  service = await startUpload({ UPLOAD_MAX_BYTES: String(MiB) })
  auth = { authorization: `Bearer ${await service.token()}` }
  endpoint = `${service.url}/upload/api/v1/`
})
afterAll(() => service.stop())

const pins = () => service.deps.database.prisma.pin.count()
/** Staging folders of the local blockstore: a refused upload must leave none behind. */
const staging = () => readdir(join(service.environment.blockstorePath, 'tmp'))

function reasonOf(answer: { body: unknown }) {
  return (answer.body as { error: { reason: string } }).error.reason
}

describe('limits, in the Pinning API error format', () => {
  afterEach(async () => {
    await service.deps.database.prisma.user.update({
      where: { id: service.user.id },
      data: { maxStoredBytes: null },
    })
  })

  it('413 before reading when the declared length is over UPLOAD_MAX_BYTES', async () => {
    const size = 256 * MiB
    const answer = await post(
      endpoint,
      { ...auth, 'content-type': 'application/octet-stream', 'content-length': String(size) },
      generated(size),
    )
    expect(answer.status).toBe(413)
    expect(reasonOf(answer)).toBe('PAYLOAD_TOO_LARGE')
    expect(answer.sent).toBeLessThan(size / 4)
    expect(await pins()).toBe(0)
  })

  it.each([
    ['application/octet-stream', () => generated(256 * MiB)],
    ['application/vnd.ipld.car', () => carStream(256, MiB)],
  ])(
    '413 as soon as a chunked %s body passes the limit, reading no further',
    async (type, body) => {
      const size = 256 * MiB
      const answer = await post(
        endpoint,
        { ...auth, 'content-type': type, 'transfer-encoding': 'chunked' },
        body(),
      )
      expect(answer.body).toMatchObject({ error: { reason: 'PAYLOAD_TOO_LARGE' } })
      expect(answer.status).toBe(413)
      expect(reasonOf(answer)).toBe('PAYLOAD_TOO_LARGE')
      expect(answer.sent).toBeLessThan(size / 4)
      expect(await pins()).toBe(0)
      expect(await staging()).toEqual([])
    },
  )

  it('413 for a multipart body over the limit', async () => {
    const form = multipart([{ filename: 'big.bin', content: Buffer.alloc(2 * MiB, 1) }])
    const answer = await post(endpoint, { ...auth, ...form.headers }, form.body)
    expect(answer.status).toBe(413)
    expect(await pins()).toBe(0)
  })

  it('400 for an empty body, declared or not', async () => {
    const variants: Record<string, string>[] = [
      { 'content-length': '0' },
      { 'transfer-encoding': 'chunked' },
    ]
    for (const headers of variants) {
      const answer = await post(
        endpoint,
        { ...auth, 'content-type': 'application/octet-stream', ...headers },
        generated(0),
      )
      expect(answer.status).toBe(400)
      expect(answer.body).toEqual({
        error: { reason: 'BAD_REQUEST', details: 'The request body is empty' },
      })
    }
    const empty = multipart([])
    const noFiles = await post(endpoint, { ...auth, ...empty.headers }, empty.body)
    expect(noFiles.status).toBe(400)
    expect(await pins()).toBe(0)
  })

  it('415 for a content type it does not read', async () => {
    const variants: Record<string, string>[] = [{ 'content-type': 'text/plain' }, {}]
    for (const headers of variants) {
      const answer = await post(endpoint, { ...auth, ...headers }, Buffer.from('hello'))
      expect(answer.status).toBe(415)
      expect(reasonOf(answer)).toBe('UNSUPPORTED_MEDIA_TYPE')
    }
  })

  it('400 for a malformed multipart body or a part without a filename', async () => {
    const broken = await post(
      endpoint,
      { ...auth, 'content-type': 'multipart/form-data' },
      Buffer.from('no boundary'),
    )
    expect(broken.status).toBe(400)
    const form = multipart([{ filename: '../escape.txt', content: 'x' }])
    const escaping = await post(endpoint, { ...auth, ...form.headers }, form.body)
    expect(escaping.status).toBe(400)
    expect(await pins()).toBe(0)
  })

  it('409 INSUFFICIENT_FUNDS past the stored-bytes quota: declared, streamed, or used up', async () => {
    await service.deps.database.prisma.user.update({
      where: { id: service.user.id },
      data: { maxStoredBytes: 100_000n },
    })
    const declared = await post(
      endpoint,
      { ...auth, 'content-type': 'application/octet-stream', 'content-length': '200000' },
      generated(200_000, 50_000),
    )
    expect(declared.status).toBe(409)
    expect(reasonOf(declared)).toBe('INSUFFICIENT_FUNDS')
    const streamed = await post(
      endpoint,
      { ...auth, 'content-type': 'application/octet-stream', 'transfer-encoding': 'chunked' },
      generated(200_000, 10_000),
    )
    expect(streamed.status).toBe(409)
    expect(reasonOf(streamed)).toBe('INSUFFICIENT_FUNDS')
    await service.deps.database.prisma.user.update({
      where: { id: service.user.id },
      data: { maxStoredBytes: 0n },
    })
    const usedUp = await post(
      endpoint,
      { ...auth, 'content-type': 'application/octet-stream' },
      Buffer.from('x'),
    )
    expect(usedUp.status).toBe(409)
    expect(await pins()).toBe(0)
    expect(await staging()).toEqual([])
  })

  it('401 without a token, 403 without the upload scope', async () => {
    const anonymous = await post(
      endpoint,
      { 'content-type': 'application/octet-stream' },
      Buffer.from('x'),
    )
    expect(anonymous.status).toBe(401)
    const pinningOnly = await post(
      endpoint,
      {
        authorization: `Bearer ${await service.token(['pinning'])}`,
        'content-type': 'application/octet-stream',
      },
      Buffer.from('x'),
    )
    expect(pinningOnly.status).toBe(403)
  })
})

describe('client abort mid-upload', () => {
  it('creates no pin, keeps nothing and logs no warning or error', async () => {
    const logsBefore = service.logs().length
    for (let attempt = 0; attempt < 5; attempt++) {
      await new Promise<void>((resolve) => {
        const req = request(endpoint, {
          method: 'POST',
          headers: { ...auth, 'content-type': 'application/octet-stream' },
        })
        req.on('error', () => resolve())
        req.on('close', () => resolve())
        req.write(Buffer.alloc(300 * 1024, 7), () => {
          setTimeout(() => req.destroy(), 50)
        })
      })
    }
    await sleep(300)
    expect(await pins()).toBe(0)
    expect(await staging()).toEqual([])
    const lines = service.logs().slice(logsBefore)
    expect(lines.filter((line) => line.level >= 40)).toEqual([])
    expect(lines.some((line) => line.msg === 'request aborted')).toBe(true)
  })
})
