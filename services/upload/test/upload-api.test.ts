import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { carOf, conformanceCars, multipart, post } from './helpers/http.js'
import { startUpload, type RunningUpload } from './helpers/service.js'

let service: RunningUpload
let auth: Record<string, string>
let endpoint: string

beforeAll(async () => {
  service = await startUpload()
  auth = { authorization: `Bearer ${await service.token()}` }
  endpoint = `${service.url}/upload/api/v1/`
})
afterAll(() => service.stop())

interface PinStatus {
  requestid: string
  status: string
  created: string
  pin: { cid: string; name?: string }
  delegates: string[]
}

/** The pin row behind an answer, and every block of its DAG read back at once. */
async function expectPinnedAndReadable(answer: PinStatus, name?: string) {
  expect(answer.status).toBe('pinning')
  expect(answer.pin.name).toBe(name)
  const row = await service.deps.database.prisma.pin.findUniqueOrThrow({
    where: { id: answer.requestid },
  })
  expect(row).toMatchObject({ cid: answer.pin.cid, status: 'pinning', source: 'upload' })
  expect(row.userId).toBe(service.user.id)
  expect(row.publishedAt).not.toBeNull()
  let bytes = 0
  for await (const chunk of service.deps.blockstore.exportCar(CID.parse(answer.pin.cid))) {
    bytes += chunk.length
  }
  expect(bytes).toBeGreaterThan(0)
}

describe('POST /upload/api/v1/ — files', () => {
  it('application/octet-stream: the CID of ipfs add --cid-version=1, pinned by name', async () => {
    const answer = await post(
      `${endpoint}?name=greeting`,
      { ...auth, 'content-type': 'application/octet-stream' },
      Buffer.from('hello world'),
    )
    expect(answer.status).toBe(202)
    const status = answer.body as PinStatus
    expect(status.pin.cid).toBe('bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e')
    await expectPinnedAndReadable(status, 'greeting')
  })

  it('multipart with one file part: the file itself', async () => {
    const form = multipart([{ filename: 'hello.txt', content: 'Hello IPFS\n' }])
    const answer = await post(endpoint, { ...auth, ...form.headers }, form.body)
    expect(answer.status).toBe(202)
    const status = answer.body as PinStatus
    expect(status.pin.cid).toBe('bafkreidfdrlkeq4m4xnxuyx6iae76fdm4wgl5d4xzsb77ixhyqwumhz244')
    await expectPinnedAndReadable(status)
  })

  it('multipart with relative paths: one directory, as ipfs add -r (UTF-8 names)', async () => {
    const form = multipart([
      { filename: 'rootDir/ą/ę/file-źł.txt', content: 'I am a txt file on path with utf8\n' },
      { filename: 'rootDir/api/file.txt', content: 'I am a txt file in confusing /api dir\n' },
      { filename: 'rootDir/ipfs/file.txt', content: 'I am a txt file in confusing /ipfs dir\n' },
      { filename: 'rootDir/ipns/file.txt', content: 'I am a txt file in confusing /ipns dir\n' },
    ])
    const answer = await post(`${endpoint}?name=tree`, { ...auth, ...form.headers }, form.body)
    expect(answer.status).toBe(202)
    const status = answer.body as PinStatus
    // gateway-conformance path_gateway_tar/fixtures.car, made with `ipfs add -Qr --cid-version 1`.
    expect(status.pin.cid).toBe('bafybeig6ka5mlwkl4subqhaiatalkcleo4jgnr3hqwvpmsqfca27cijp3i')
    await expectPinnedAndReadable(status, 'tree')
  })

  it('multipart with several top-level files and a directory part: one wrapping directory', async () => {
    const form = multipart([
      { filename: 'dir', content: '', type: 'application/x-directory' },
      { filename: 'dir/ascii.txt', content: 'hello application/vnd.ipld.raw\n' },
    ])
    const single = await post(endpoint, { ...auth, ...form.headers }, form.body)
    expect(single.status).toBe(202)
    const flat = multipart([
      { filename: 'a.txt', content: 'a' },
      { filename: 'b.txt', content: 'b' },
      { filename: 'empty', content: '', type: 'application/x-directory' },
    ])
    const answer = await post(endpoint, { ...auth, ...flat.headers }, flat.body)
    expect(answer.status).toBe(202)
    const status = answer.body as PinStatus
    expect(status.pin.cid).toMatch(/^bafybei/)
    const links = await service.deps.blockstore.walkDag(CID.parse(status.pin.cid))
    const root = (await links[Symbol.asyncIterator]().next()).value
    expect(root?.links).toHaveLength(3)
  })
})

describe('POST /upload/api/v1/ — CAR archives', () => {
  it('takes every gateway-conformance fixture and pins its roots, readable at once', async () => {
    const cars = await conformanceCars()
    expect(cars.length).toBeGreaterThanOrEqual(20)
    for (const car of cars) {
      const answer = await post(
        `${endpoint}?name=fixture`,
        { ...auth, 'content-type': 'application/vnd.ipld.car' },
        car.bytes,
      )
      expect(answer.status, car.name).toBe(202)
      const statuses = (Array.isArray(answer.body) ? answer.body : [answer.body]) as PinStatus[]
      expect(statuses.map((status) => status.pin.cid)).toEqual(car.roots.map(String))
      // The fixture with missing blocks is accepted (the worker fetches the rest); the others
      // are complete and every block reads back now.
      if (car.name.includes('missing-block')) {
        expect(await service.deps.blockstore.has(car.roots[0] as CID)).toBe(true)
        continue
      }
      for (const status of statuses) await expectPinnedAndReadable(status, 'fixture')
    }
  })

  it('?format=car reads any body as a CAR; several roots give one pin each', async () => {
    const blocks = await Promise.all(
      ['one', 'two', 'three'].map(async (text) => {
        const bytes = new TextEncoder().encode(`${text} ${Date.now()}`)
        return { cid: CID.createV1(raw.code, await sha256.digest(bytes)), bytes }
      }),
    )
    const car = await carOf(
      blocks.map((block) => block.cid),
      blocks,
    )
    const answer = await post(
      `${endpoint}?format=car&name=batch`,
      { ...auth, 'content-type': 'application/octet-stream' },
      car,
    )
    expect(answer.status).toBe(202)
    const statuses = answer.body as PinStatus[]
    expect(statuses.map((status) => status.pin.name)).toEqual([
      'batch-root-0',
      'batch-root-1',
      'batch-root-2',
    ])
    expect(statuses.map((status) => status.pin.cid)).toEqual(blocks.map((b) => b.cid.toString()))
    for (const [index, status] of statuses.entries()) {
      await expectPinnedAndReadable(status, `batch-root-${index}`)
    }
  })

  it('refuses a block whose bytes do not match its CID, a truncated CAR and a bad header', async () => {
    const bytes = new TextEncoder().encode(`tampered ${Date.now()}`)
    const cid = CID.createV1(raw.code, await sha256.digest(bytes))
    const good = await carOf([cid], [{ cid, bytes }])
    const tampered = Buffer.from(good)
    tampered.writeUInt8(tampered.readUInt8(tampered.length - 1) ^ 0xff, tampered.length - 1)
    const truncated = good.subarray(0, good.length - 3)
    const badHeader = Buffer.from('this is not a CAR at all')
    const before = await service.deps.database.prisma.pin.count()
    for (const [body, code] of [
      [tampered, 'HASH_MISMATCH'],
      [truncated, 'TRUNCATED'],
      [badHeader, 'BAD_HEADER'],
    ] as const) {
      const answer = await post(
        endpoint,
        { ...auth, 'content-type': 'application/vnd.ipld.car' },
        body,
      )
      expect(answer.status).toBe(400)
      expect(answer.body).toMatchObject({ error: { reason: 'BAD_REQUEST' } })
      expect((answer.body as { error: { details: string } }).error.details).toContain(code)
    }
    expect(await service.deps.database.prisma.pin.count()).toBe(before)
    expect(await service.deps.blockstore.has(cid)).toBe(false)
  })
})
