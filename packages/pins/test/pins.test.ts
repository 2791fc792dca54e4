import { addUsage, cidReferenceCount } from '@pinion/db'
import { isAppError } from '@pinion/service-kit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseListQuery, parsePinRequest, type Pins } from '../src/index.js'
import { insertPinsFast } from '../src/insert-pin.js'
import { cidFor, delegates, startPins, type PinsFixture } from './setup.js'

let fixture: PinsFixture
let pins: Pins

beforeAll(async () => {
  fixture = await startPins()
  pins = fixture.pins
})
afterAll(() => fixture.stop())

const query = (search: string) => parseListQuery(new URLSearchParams(search))

/** The reason of the AppError `promise` rejects with. */
async function reasonOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise
  } catch (error) {
    if (isAppError(error)) return error.reason
    throw error
  }
  throw new Error('expected a rejection')
}

async function pin(userId: string, body: Record<string, unknown>, target: Pins = pins) {
  return target.createPin({ userId, ...parsePinRequest(body) })
}

describe('createPin', () => {
  it('stores the pin as submitted, with the v1 base32 key, a deadline, a reference and a published request', async () => {
    const userId = await fixture.newUser()
    const v0 = 'QmPZ9gcCEpqKTo6aq61g2nXGUhM4iCL3ewB6LDXZCtioEB'
    const before = Date.now()
    const row = await pin(userId, { cid: v0, name: 'readme', meta: { app: 'docs' } })
    expect(row).toMatchObject({
      userId,
      cid: v0,
      cidKey: 'bafybeiasb5vpmaounyilfuxbd3lryvosl4yefqrfahsb2esg46q6tu6y5q',
      name: 'readme',
      meta: { app: 'docs' },
      status: 'queued',
      source: 'api',
      attempts: 1,
      deletedAt: null,
    })
    expect(row.deadlineAt?.getTime()).toBe(row.created.getTime() + 3_600_000)
    expect(row.created.getTime()).toBeGreaterThanOrEqual(before - 1000)
    const stored = await fixture.prisma.pin.findUniqueOrThrow({ where: { id: row.id } })
    expect(stored.publishedAt).not.toBeNull()
    expect(await cidReferenceCount(fixture.prisma, row.cidKey)).toBe(1)
  })

  it('starts uploaded content in pinning, with its source', async () => {
    const userId = await fixture.newUser()
    const cid = (await cidFor('uploaded')).toString()
    const row = await pins.createPin({
      userId,
      ...parsePinRequest({ cid }),
      status: 'pinning',
      source: 'upload',
    })
    expect(row).toMatchObject({ status: 'pinning', source: 'upload', cid, cidKey: cid })
  })

  it('answers PinStatus with exactly the schema keys', async () => {
    const userId = await fixture.newUser()
    const cid = (await cidFor('status')).toString()
    const bare = pins.toPinStatus(await pin(userId, { cid }))
    expect(Object.keys(bare).sort()).toEqual(['created', 'delegates', 'pin', 'requestid', 'status'])
    expect(bare.pin).toEqual({ cid })
    expect(bare.delegates).toEqual(delegates)
    expect(bare.created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)

    const full = await pin(userId, {
      cid,
      name: 'n',
      meta: { k: 'v' },
      origins: ['/ip4/1.2.3.4/tcp/4001/p2p/QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N'],
    })
    await fixture.prisma.pin.update({
      where: { id: full.id },
      data: { status: 'failed', info: { status_details: 'deadline exceeded', dag_size: 12 } },
    })
    const status = pins.toPinStatus(await pins.getPin(userId, full.id))
    expect(status).toEqual({
      requestid: full.id,
      status: 'failed',
      created: full.created.toISOString(),
      pin: {
        cid,
        name: 'n',
        meta: { k: 'v' },
        origins: ['/ip4/1.2.3.4/tcp/4001/p2p/QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N'],
      },
      delegates,
      // Non-string values never reach a client (the Go client cannot decode them).
      info: { status_details: 'deadline exceeded' },
    })
  })

  it('keeps the row with published_at null when NATS is down, and still succeeds', async () => {
    const userId = await fixture.newUser()
    const cid = (await cidFor('nats down')).toString()
    const row = await pin(userId, { cid }, fixture.pinsWithoutNats)
    const stored = await fixture.prisma.pin.findUniqueOrThrow({ where: { id: row.id } })
    expect(stored).toMatchObject({ publishedAt: null, attempts: 1, status: 'queued' })
    expect(await cidReferenceCount(fixture.prisma, row.cidKey)).toBe(1)

    await fixture.pinsWithoutNats.deletePin(userId, row.id)
    const deleted = await fixture.prisma.pin.findUniqueOrThrow({ where: { id: row.id } })
    expect(deleted.deletedAt).not.toBeNull()
    expect(deleted.removalPublishedAt).toBeNull()
    expect(deleted.publishedAt).toBeNull()
    expect(await cidReferenceCount(fixture.prisma, row.cidKey)).toBe(0)
  })
})

describe('quota', () => {
  it('refuses the pin over max_pins with INSUFFICIENT_FUNDS and changes nothing', async () => {
    const userId = await fixture.newUser({ maxPins: 2 })
    const cid = (await cidFor('quota pins')).toString()
    await pin(userId, { cid })
    const second = await pin(userId, { cid })
    expect(await reasonOf(pin(userId, { cid }))).toBe('INSUFFICIENT_FUNDS')
    expect(await fixture.prisma.pin.count({ where: { userId } })).toBe(2)
    expect(await cidReferenceCount(fixture.prisma, second.cidKey)).toBe(2)
    // A deleted pin frees its slot.
    await pins.deletePin(userId, second.id)
    await pin(userId, { cid })
  })

  it('refuses new pins once stored bytes reach max_stored_bytes', async () => {
    const userId = await fixture.newUser({ maxStoredBytes: 1000n })
    const cid = (await cidFor('quota bytes')).toString()
    await addUsage(fixture.prisma, userId, 'stored_bytes', 400)
    expect(await pins.remainingStoredBytes(userId)).toBe(600n)
    await pin(userId, { cid })
    await addUsage(fixture.prisma, userId, 'stored_bytes', 600)
    expect(await pins.remainingStoredBytes(userId)).toBe(0n)
    expect(await reasonOf(pin(userId, { cid }))).toBe('INSUFFICIENT_FUNDS')
    expect(await fixture.prisma.pin.count({ where: { userId } })).toBe(1)
    expect(await pins.remainingStoredBytes(await fixture.newUser())).toBeUndefined()
  })
})

describe('group commit', () => {
  const request = async (userId: string, seed: string, name?: string) => ({
    userId,
    ...parsePinRequest({ cid: (await cidFor(seed)).toString(), ...(name ? { name } : {}) }),
  })

  it('inserts a mixed batch in one statement: each input its own result, clocks and references as one at a time', async () => {
    const ada = await fixture.newUser()
    const bob = await fixture.newUser()
    const limited = await fixture.newUser({ maxPins: 5 })
    const full = await fixture.newUser({ maxStoredBytes: 10n })
    await addUsage(fixture.prisma, full, 'stored_bytes', 10)
    const earlier = await pin(ada, { cid: (await cidFor('batch x')).toString() })
    const installation = 9_007_199_254_740_993n
    await fixture.prisma.githubInstallation.create({
      data: { id: installation, accountLogin: 'batch-org', accountType: 'Organization' },
    })
    const inputs = [
      await request(ada, 'batch x', 'a1'),
      // Every field travels, defaults filled in; an id past 2^53 shows bigint survives the JSON.
      {
        ...(await request(bob, 'batch x', 'b1')),
        source: 'github' as const,
        status: 'pinning' as const,
        githubInstallationId: installation,
      },
      await request(limited, 'batch y'),
      await request(ada, 'batch y', 'a2'),
      await request(full, 'batch z'),
      await request('00000000-0000-4000-8000-000000000000', 'batch z'),
      await request(ada, 'batch x', 'a3'),
    ]
    const results = await insertPinsFast(fixture.prisma, inputs, 60_000)
    expect(results.map((result) => result.kind)).toEqual([
      'inserted',
      'inserted',
      'has-pin-limit',
      'inserted',
      'over-stored-bytes',
      'no-user',
      'inserted',
    ])
    const inserted = results.flatMap((result) => (result.kind === 'inserted' ? [result.pin] : []))
    expect(inserted.map((row) => [row.userId, row.name])).toEqual([
      [ada, 'a1'],
      [bob, 'b1'],
      [ada, 'a2'],
      [ada, 'a3'],
    ])
    expect(
      [inserted[0], inserted[1]].map((row) => [
        row!.source,
        row!.status,
        row!.githubInstallationId,
      ]),
    ).toEqual([
      ['api', 'queued', null],
      ['github', 'pinning', installation],
    ])
    // Ada's three follow her earlier pin, one millisecond apart, in input order.
    const adaTimes = [earlier, inserted[0], inserted[2], inserted[3]].map((row) =>
      row!.created.getTime(),
    )
    expect(adaTimes.slice(1).every((time, i) => time > adaTimes[i]!)).toBe(true)
    expect(adaTimes[3]! - adaTimes[1]!).toBe(2)
    const clock = await fixture.prisma.pinClock.findUniqueOrThrow({ where: { userId: ada } })
    expect(clock.lastCreated.getTime()).toBe(adaTimes[3])
    expect(inserted[0]!.deadlineAt!.getTime()).toBe(adaTimes[1]! + 60_000)
    // Two of Ada's and Bob's on top of the earlier one; nothing for the refused inputs.
    expect(await cidReferenceCount(fixture.prisma, earlier.cidKey)).toBe(4)
    expect(await cidReferenceCount(fixture.prisma, inputs[3]!.cidKey)).toBe(1)
    expect(await fixture.prisma.pin.count({ where: { userId: { in: [limited, full] } } })).toBe(0)
  })

  it('retries each input alone when Postgres refuses their batch, so one bad input fails nobody', async () => {
    const userId = await fixture.newUser()
    // A lone surrogate cannot travel in the batch's JSON, but a text parameter carries it
    // (as U+FFFD).
    const names = ['ok 1', 'bad \ud800', 'ok 2', 'ok 3']
    const inputs = await Promise.all(names.map((name) => request(userId, `alone ${name}`, name)))
    const rows = await Promise.all(inputs.map((input) => pins.createPin(input)))
    expect(rows.map((row) => row.name)).toEqual(['ok 1', 'bad \ufffd', 'ok 2', 'ok 3'])
    expect(new Set(rows.map((row) => row.created.getTime())).size).toBe(4)
    expect(await fixture.prisma.pin.count({ where: { userId, publishedAt: { not: null } } })).toBe(
      4,
    )
  })
})

describe('listPins', () => {
  let userId: string
  const ids: Record<string, string> = {}

  beforeAll(async () => {
    userId = await fixture.newUser()
    const other = await fixture.newUser()
    const specs: [string, Record<string, unknown>, 'queued' | 'pinning' | 'pinned' | 'failed'][] = [
      ['a', { name: 'Holiday Photos', meta: { app: 'photos', year: '2020' } }, 'pinned'],
      ['b', { name: 'holiday photos', meta: { app: 'photos', year: '2021' } }, 'pinned'],
      ['c', { name: 'work_100%', meta: { app: 'docs' } }, 'pinned'],
      ['d', { name: 'work_1000' }, 'queued'],
      ['e', { name: 'backup' }, 'failed'],
      ['f', { name: 'backup' }, 'pinning'],
    ]
    for (const [key, body, status] of specs) {
      const row = await pin(userId, { cid: (await cidFor(key)).toString(), ...body })
      await fixture.prisma.pin.update({ where: { id: row.id }, data: { status } })
      ids[key] = row.id
    }
    // Another user's pin of the same CID never shows up.
    await pin(other, { cid: (await cidFor('a')).toString(), name: 'Holiday Photos' })
  })

  async function idsOf(search: string) {
    const page = await pins.listPins(userId, query(search))
    const found = page.rows.map((row) => Object.entries(ids).find(([, id]) => id === row.id)?.[0])
    return { count: page.count, found: found.join('') }
  }

  it('defaults to pinned only, newest first', async () => {
    expect(await idsOf('')).toEqual({ count: 3, found: 'cba' })
  })

  it('filters by status list in both array styles', async () => {
    expect(await idsOf('status=queued,failed')).toEqual({ count: 2, found: 'ed' })
    expect(await idsOf('status=pinning&status=failed')).toEqual({ count: 2, found: 'fe' })
    expect(await idsOf('status=queued,pinning,pinned,failed')).toMatchObject({ count: 6 })
  })

  it('filters by cid, comparing v0/v1 forms by their key', async () => {
    const a = await cidFor('a')
    const c = await cidFor('c')
    expect(await idsOf(`cid=${a.toString()},${c.toString()}`)).toEqual({ count: 2, found: 'ca' })
    // The same multihash in base36 is the same CID.
    const base36 = (await import('multiformats/bases/base36')).base36
    expect(await idsOf(`cid=${a.toString(base36)}`)).toEqual({ count: 1, found: 'a' })
  })

  it('matches names exactly, case-insensitively and by substring', async () => {
    const all = '&status=queued,pinning,pinned,failed'
    expect(await idsOf(`name=holiday photos${all}`)).toEqual({ count: 1, found: 'b' })
    expect(await idsOf(`name=HOLIDAY PHOTOS&match=iexact${all}`)).toEqual({
      count: 2,
      found: 'ba',
    })
    expect(await idsOf(`name=Photos&match=partial${all}`)).toEqual({ count: 1, found: 'a' })
    expect(await idsOf(`name=PHOTOS&match=ipartial${all}`)).toEqual({ count: 2, found: 'ba' })
    // % and _ are literal characters, not wildcards.
    expect(await idsOf(`name=${encodeURIComponent('100%')}&match=partial${all}`)).toEqual({
      count: 1,
      found: 'c',
    })
    expect(await idsOf(`name=k_1&match=partial${all}`)).toEqual({ count: 2, found: 'dc' })
    expect(await idsOf(`name=k%1&match=partial${all}`)).toEqual({ count: 0, found: '' })
  })

  it('filters by meta containment, AND across keys, in both encodings', async () => {
    const json = (value: unknown) => `meta=${encodeURIComponent(JSON.stringify(value))}`
    expect(await idsOf(json({ app: 'photos' }))).toEqual({ count: 2, found: 'ba' })
    expect(await idsOf(json({ app: 'photos', year: '2020' }))).toEqual({ count: 1, found: 'a' })
    expect(await idsOf(json({ app: 'photos', year: '1999' }))).toEqual({ count: 0, found: '' })
    expect(await idsOf('meta[app]=photos&meta[year]=2021')).toEqual({ count: 1, found: 'b' })
  })

  it('honours before/after and limit, with count ignoring only limit', async () => {
    const rows = await fixture.prisma.pin.findMany({
      where: { userId },
      orderBy: { created: 'asc' },
    })
    const createdOf = (key: string) => rows.find((row) => row.id === ids[key])?.created as Date
    expect(await idsOf(`before=${createdOf('c').toISOString()}`)).toEqual({
      count: 2,
      found: 'ba',
    })
    expect(await idsOf(`after=${createdOf('a').toISOString()}`)).toEqual({ count: 2, found: 'cb' })
    expect(
      await idsOf(`after=${createdOf('a').toISOString()}&before=${createdOf('c').toISOString()}`),
    ).toEqual({ count: 1, found: 'b' })
    expect(await idsOf('limit=1')).toEqual({ count: 3, found: 'c' })
  })
})

describe('paging', () => {
  it('walks 120 pins created in bursts in pages of 7 by before, each exactly once (ms and ns bounds)', async () => {
    const userId = await fixture.newUser()
    const cid = (await cidFor('paging')).toString()
    // Created in concurrent bursts, so many land in the same millisecond and the per-user
    // clock has to bump them apart (bursts of 4 stay inside the test database's pool of 5).
    const created = []
    for (let burst = 0; burst < 30; burst += 1) {
      created.push(
        ...(await Promise.all(
          Array.from({ length: 4 }, (_, index) => pin(userId, { cid, name: `p${burst}-${index}` })),
        )),
      )
    }
    await fixture.prisma.pin.updateMany({ where: { userId }, data: { status: 'pinned' } })
    const times = new Set(created.map((row) => row.created.getTime()))
    expect(times.size).toBe(120)

    for (const style of ['ms', 'ns'] as const) {
      const seen: string[] = []
      let before: string | undefined
      for (;;) {
        const page = await pins.listPins(
          userId,
          query(`limit=7${before === undefined ? '' : `&before=${encodeURIComponent(before)}`}`),
        )
        seen.push(...page.rows.map((row) => row.id))
        // Kubo's loop: stop when count equals the batch, else page on from the oldest seen.
        if (page.count === page.rows.length) break
        expect(page.rows).toHaveLength(7)
        const oldest = pins.toPinStatus(page.rows.at(-1)!).created
        before = style === 'ms' ? oldest : oldest.replace('Z', '000000Z')
      }
      expect(seen).toHaveLength(120)
      expect(new Set(seen).size).toBe(120)
      expect(new Set(seen)).toEqual(new Set(created.map((row) => row.id)))
    }
  })
})

describe('replacePin', () => {
  it('gives a new requestid, deletes the old one and moves the reference', async () => {
    const userId = await fixture.newUser()
    const oldCid = (await cidFor('replace old')).toString()
    const newCid = (await cidFor('replace new')).toString()
    const old = await pin(userId, { cid: oldCid, name: 'v1' })
    const replacement = await pins.replacePin(userId, old.id, parsePinRequest({ cid: newCid }))
    expect(replacement.id).not.toBe(old.id)
    expect(replacement).toMatchObject({ cid: newCid, status: 'queued', attempts: 1 })
    expect(await reasonOf(pins.getPin(userId, old.id))).toBe('NOT_FOUND')
    expect((await pins.getPin(userId, replacement.id)).id).toBe(replacement.id)
    const stored = await fixture.prisma.pin.findUniqueOrThrow({ where: { id: old.id } })
    expect(stored.deletedAt).not.toBeNull()
    expect(stored.replacedById).toBe(replacement.id)
    expect(stored.removalPublishedAt).not.toBeNull()
    expect(await cidReferenceCount(fixture.prisma, old.cidKey)).toBe(0)
    expect(await cidReferenceCount(fixture.prisma, replacement.cidKey)).toBe(1)
    const newRow = await fixture.prisma.pin.findUniqueOrThrow({ where: { id: replacement.id } })
    expect(newRow.publishedAt).not.toBeNull()
    // Replacing an already replaced pin is a 404 and creates nothing.
    expect(await reasonOf(pins.replacePin(userId, old.id, parsePinRequest({ cid: newCid })))).toBe(
      'NOT_FOUND',
    )
    expect(await fixture.prisma.pin.count({ where: { userId } })).toBe(2)
  })

  it('replacing with the same CID keeps its reference at one', async () => {
    const userId = await fixture.newUser()
    const cid = (await cidFor('replace same')).toString()
    const old = await pin(userId, { cid })
    const replacement = await pins.replacePin(userId, old.id, parsePinRequest({ cid, name: 'x' }))
    expect(replacement.name).toBe('x')
    expect(await cidReferenceCount(fixture.prisma, old.cidKey)).toBe(1)
  })
})

describe('deletePin and ownership', () => {
  it('counts references across users and releases each once', async () => {
    const ada = await fixture.newUser()
    const bob = await fixture.newUser()
    const cid = (await cidFor('shared')).toString()
    const adaPin = await pin(ada, { cid })
    const bobPin = await pin(bob, { cid })
    expect(await cidReferenceCount(fixture.prisma, adaPin.cidKey)).toBe(2)

    // Bob cannot see, replace or delete Ada's pin.
    expect(await reasonOf(pins.getPin(bob, adaPin.id))).toBe('NOT_FOUND')
    expect(await reasonOf(pins.deletePin(bob, adaPin.id))).toBe('NOT_FOUND')
    expect(await reasonOf(pins.replacePin(bob, adaPin.id, parsePinRequest({ cid })))).toBe(
      'NOT_FOUND',
    )
    expect(await cidReferenceCount(fixture.prisma, adaPin.cidKey)).toBe(2)

    await Promise.allSettled([pins.deletePin(ada, adaPin.id), pins.deletePin(ada, adaPin.id)])
    expect(await reasonOf(pins.deletePin(ada, adaPin.id))).toBe('NOT_FOUND')
    expect(await reasonOf(pins.getPin(ada, adaPin.id))).toBe('NOT_FOUND')
    expect(await cidReferenceCount(fixture.prisma, adaPin.cidKey)).toBe(1)
    const deleted = await fixture.prisma.pin.findUniqueOrThrow({ where: { id: adaPin.id } })
    expect(deleted.removalPublishedAt).not.toBeNull()
    expect(deleted.publishedAt).not.toBeNull()
    expect((await pins.listPins(ada, query('status=queued'))).count).toBe(0)

    await pins.deletePin(bob, bobPin.id)
    expect(await cidReferenceCount(fixture.prisma, adaPin.cidKey)).toBe(0)
  })

  it('answers 404 for ids that are not UUIDs', async () => {
    const userId = await fixture.newUser()
    expect(await reasonOf(pins.getPin(userId, "1' OR '1'='1"))).toBe('NOT_FOUND')
    expect(await reasonOf(pins.deletePin(userId, 'not-a-uuid'))).toBe('NOT_FOUND')
  })
})
