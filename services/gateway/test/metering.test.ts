import { addUsage, createUser, sumUsage } from '@pinion/db'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fixtures } from './helpers/fixtures.js'
import { startTestGateway, type TestGateway } from './helpers/harness.js'

// Bandwidth metering and the monthly quota, checked on the persisted `usage_counters` rows.

let gw: TestGateway
const multiblock = `/ipfs/${fixtures.dirWithFiles}/multiblock.txt` // 1026 bytes

beforeAll(async () => {
  gw = await startTestGateway({
    // Flushes only when asked (or at stop), so the test sees that requests alone write nothing.
    GATEWAY_USAGE_FLUSH_MS: '600000',
    GATEWAY_QUOTA_CACHE_MS: '0',
    QUOTA_MAX_GATEWAY_BYTES_PER_MONTH: '1500',
  })
})
afterAll(() => gw?.close())

const prisma = () => gw.environment.database.prisma
const used = (userId: string) => sumUsage(prisma(), userId, 'gateway_bytes')
const newUser = (email: string, limit?: bigint) =>
  createUser(prisma(), { email, displayName: email }).then((user) =>
    limit === undefined
      ? user
      : prisma().user.update({ where: { id: user.id }, data: { maxGatewayBytesPerMonth: limit } }),
  )

describe('gateway bandwidth metering', () => {
  it('counts body bytes per user in memory and writes them in one batch', async () => {
    const user = await newUser('meter@example.org', 10n ** 9n)
    const token = await gw.token(['gateway'], user)
    for (let i = 0; i < 3; i++) expect((await gw.api(multiblock, { token })).status).toBe(200)
    await gw.api(`/ipfs/${fixtures.dirWithFiles}/hello.txt`, {
      token,
      headers: { Range: 'bytes=0-4' },
    })
    await gw.api(multiblock, { token, method: 'HEAD' })
    const etag = (await gw.api(multiblock, { token, method: 'HEAD' })).headers.get('etag')!
    expect((await gw.api(multiblock, { token, headers: { 'If-None-Match': etag } })).status).toBe(
      304,
    )
    // Nothing written per request…
    expect(await prisma().usageCounter.count({ where: { userId: user.id } })).toBe(0)
    expect(gw.deps.meter.pending(user.id)).toBe(3n * 1026n + 5n)
    // …and one row for the day once flushed: 3 × 1026 bytes + a 5-byte range; HEAD and 304 are free.
    await gw.deps.meter.flush()
    const rows = await prisma().usageCounter.findMany({ where: { userId: user.id } })
    expect(rows).toHaveLength(1)
    expect(rows[0]!.metric).toBe('gateway_bytes')
    expect(rows[0]!.value).toBe(3n * 1026n + 5n)
    expect(gw.deps.meter.pending(user.id)).toBe(0n)
  })

  it('flushes what is pending when the meter stops (shutdown)', async () => {
    const user = await newUser('stop@example.org', 10n ** 9n)
    const token = await gw.token(['gateway'], user)
    await gw.api(multiblock, { token })
    await gw.deps.meter.stop()
    expect(await used(user.id)).toBe(1026n)
    await gw.deps.meter.start()
  })
})

describe('monthly quota', () => {
  it('lets a user reach the default limit, then answers 409 INSUFFICIENT_FUNDS', async () => {
    const user = await newUser('quota@example.org')
    const token = await gw.token(['gateway'], user)
    expect((await gw.api(multiblock, { token })).status).toBe(200)
    const over = await gw.api(multiblock, { token })
    expect(over.status).toBe(200) // 1026 < 1500: still under the limit before this response
    const refused = await gw.api(multiblock, { token })
    expect(refused.status).toBe(409)
    expect(JSON.parse(refused.text).error.reason).toBe('INSUFFICIENT_FUNDS')
    await gw.deps.meter.flush()
    expect(await used(user.id)).toBe(2n * 1026n)
  })

  it('counts usage already in the database this month (other replicas, earlier runs)', async () => {
    const user = await newUser('persisted@example.org')
    await addUsage(prisma(), user.id, 'gateway_bytes', 1500n)
    expect((await gw.api(multiblock, { token: await gw.token(['gateway'], user) })).status).toBe(
      409,
    )
  })

  it('ignores usage of earlier months', async () => {
    const user = await newUser('lastmonth@example.org')
    const lastMonth = new Date()
    lastMonth.setUTCMonth(lastMonth.getUTCMonth() - 1)
    await addUsage(prisma(), user.id, 'gateway_bytes', 10n ** 6n, lastMonth)
    expect((await gw.api(multiblock, { token: await gw.token(['gateway'], user) })).status).toBe(
      200,
    )
  })

  it('applies the per-user override from the users table (higher, or zero)', async () => {
    const generous = await newUser('generous@example.org', 10n ** 9n)
    await addUsage(prisma(), generous.id, 'gateway_bytes', 10_000n)
    expect(
      (await gw.api(multiblock, { token: await gw.token(['gateway'], generous) })).status,
    ).toBe(200)
    const blocked = await newUser('blocked@example.org', 0n)
    expect((await gw.api(multiblock, { token: await gw.token(['gateway'], blocked) })).status).toBe(
      409,
    )
  })
})
