/**
 * The HTTP request sequences Kubo's `ipfs pin remote` commands send (boxo pinning/remote/client,
 * pinning-api.md §3), replayed byte for byte: Go's headers, `url.Values.Encode()` query strings
 * (sorted keys, `%2C` commas), `before` as RFC3339Nano of the parsed `created`, and Kubo's loops
 * (poll every 500 ms; page until `count == len(results)`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  call,
  cidFor,
  markPinned,
  startPinningApi,
  type RunningPinningApi,
  type TestUser,
} from './helpers/service.js'

let api: RunningPinningApi

beforeAll(async () => {
  api = await startPinningApi()
})
afterAll(() => api.stop())

interface PinStatus {
  requestid: string
  status: string
  created: string
  pin: { cid: string; name?: string }
  delegates: string[]
}

/** A Go pinning client configured like `ipfs pin remote service add pinion <endpoint> <key>`. */
function goClient(endpoint: string, key: string) {
  const headers = (post: boolean): Record<string, string> => ({
    authorization: `Bearer ${key}`,
    accept: 'application/json',
    'user-agent': 'go-pinning-service-http-client',
    'accept-encoding': 'gzip',
    ...(post ? { 'content-type': 'application/json' } : {}),
  })
  const succeed = <T>(answer: Awaited<ReturnType<typeof call>>): T => {
    // The Go client decodes any status below 300 as success, and only JSON bodies.
    if (answer.status >= 300) {
      const error = answer.body?.error
      throw new Error(`reason: "${error?.reason}", details: "${error?.details}": ${answer.status}`)
    }
    expect(answer.headers.get('content-type') ?? 'application/json').toMatch(/json/)
    return answer.body as T
  }
  return {
    async add(cid: string, name?: string): Promise<PinStatus> {
      const body = JSON.stringify(name === undefined ? { cid } : { cid, name })
      const answer = await call(`${endpoint}/pins`, {
        method: 'POST',
        headers: headers(true),
        body,
      })
      const status = succeed<PinStatus>(answer)
      // peer.AddrInfoFromP2pAddr on every delegate: an error aborts `pin remote add`.
      for (const delegate of status.delegates) expect(delegate).toMatch(/^\/.+\/p2p\/\w+$/)
      return status
    },
    async get(requestid: string): Promise<PinStatus> {
      return succeed<PinStatus>(
        await call(`${endpoint}/pins/${encodeURIComponent(requestid)}`, {
          headers: headers(false),
        }),
      )
    },
    async list(query: Record<string, string>): Promise<{ count: number; results: PinStatus[] }> {
      return succeed(await call(`${endpoint}/pins?${goEncode(query)}`, { headers: headers(false) }))
    },
    async rm(requestid: string): Promise<void> {
      const url = `${endpoint}/pins/${encodeURIComponent(requestid)}`
      succeed(await call(url, { method: 'DELETE', headers: headers(false) }))
    },
    /** Kubo's ls loop: emit, stop when count == len(results), else before = last created. */
    async *ls(filters: { cid?: string[]; name?: string; status?: string[] }) {
      const query: Record<string, string> = {
        limit: '10',
        status: (filters.status ?? ['pinned']).join(','),
        ...(filters.cid === undefined ? {} : { cid: filters.cid.join(',') }),
        ...(filters.name === undefined ? {} : { name: filters.name }),
      }
      for (let pages = 0; pages < 1000; pages += 1) {
        const page = await this.list(query)
        yield* page.results
        if (page.count === page.results.length) return
        if (page.results.length === 0) {
          throw new Error(
            `invalid pinning service response: PinResults.count=${page.count} but no PinResults.results`,
          )
        }
        query.before = goRfc3339Nano(page.results.at(-1)!.created)
      }
      throw new Error('the paging loop did not end')
    },
  }
}

/** Go's url.Values.Encode(): keys sorted, values escaped with QueryEscape (`,` → `%2C`). */
function goEncode(query: Record<string, string>): string {
  return Object.keys(query)
    .sort()
    .map((key) => `${key}=${encodeURIComponent(query[key]!).replace(/%20/g, '+')}`)
    .join('&')
}

/** time.Time.Format(RFC3339Nano) of a parsed `created`: trailing zeros of the fraction dropped. */
function goRfc3339Nano(created: string): string {
  return created.replace(/\.(\d*?)0*Z$/, (_, digits: string) => (digits ? `.${digits}Z` : 'Z'))
}

async function newClient(): Promise<{ user: TestUser; kubo: ReturnType<typeof goClient> }> {
  const user = await api.newUser()
  return { user, kubo: goClient(api.endpoint, user.token) }
}

describe('ipfs pin remote', () => {
  it('add --background answers at once with a queued pin, visible to ls --status=queued', async () => {
    const { kubo } = await newClient()
    const cid = await cidFor('background')
    const added = await kubo.add(cid, 'pin1')
    expect(added).toMatchObject({ status: 'queued', pin: { cid, name: 'pin1' } })
    const listed = []
    for await (const pin of kubo.ls({ name: 'pin1', status: ['queued'] })) listed.push(pin)
    expect(listed.map((pin) => pin.requestid)).toEqual([added.requestid])
    const pinned = []
    for await (const pin of kubo.ls({ name: 'pin1' })) pinned.push(pin)
    expect(pinned).toEqual([])
  })

  it('add without --background polls GET /pins/{id} every 500 ms until pinned', async () => {
    const { kubo } = await newClient()
    const cid = await cidFor('blocking')
    const added = await kubo.add(cid)
    let polls = 0
    let status = added
    while (status.status !== 'pinned') {
      await new Promise((resolve) => setTimeout(resolve, 500))
      status = await kubo.get(added.requestid)
      polls += 1
      // Kubo errors out when the requestid changes or the pin fails.
      expect(status.requestid).toBe(added.requestid)
      expect(status.status).not.toBe('failed')
      // The worker's write, once it holds the DAG (the worker itself is tested in services/worker).
      if (polls === 2) await markPinned(api.deps, [added.requestid])
      if (polls > 60) throw new Error('never pinned')
    }
    expect(polls).toBeGreaterThanOrEqual(2)
  })

  it('ls pages with before through 25 pins created back to back, each exactly once', async () => {
    const { kubo } = await newClient()
    const added: PinStatus[] = []
    for (let i = 0; i < 25; i += 1) added.push(await kubo.add(await cidFor(`page ${i % 5}`)))
    await markPinned(
      api.deps,
      added.map((pin) => pin.requestid),
    )
    const seen: string[] = []
    for await (const pin of kubo.ls({})) seen.push(pin.requestid)
    expect(seen).toEqual(added.map((pin) => pin.requestid).reverse())
    // The same with a cid filter of two CIDs (10 pins): count includes before, so the loop ends.
    const two = [await cidFor('page 1'), await cidFor('page 3')]
    const filtered: string[] = []
    for await (const pin of kubo.ls({ cid: two })) filtered.push(pin.requestid)
    expect(filtered).toHaveLength(10)
    expect(new Set(filtered).size).toBe(10)
  })

  it('rm without --force refuses several matches; rm --force deletes every match', async () => {
    const { kubo } = await newClient()
    const cid = await cidFor('duplicate')
    // Two adds of the same CID and name are two pins (no de-duplication).
    const first = await kubo.add(cid, 'twin')
    const second = await kubo.add(cid, 'twin')
    const other = await kubo.add(await cidFor('keep'), 'keep')
    await markPinned(api.deps, [first.requestid, second.requestid, other.requestid])
    const matching: string[] = []
    for await (const pin of kubo.ls({ name: 'twin' })) matching.push(pin.requestid)
    expect(matching.sort()).toEqual([first.requestid, second.requestid].sort())
    // Kubo stops here without --force ("multiple remote pins are matching this query"); with it:
    for (const requestid of matching) await kubo.rm(requestid)
    const left: string[] = []
    for await (const pin of kubo.ls({})) left.push(pin.requestid)
    expect(left).toEqual([other.requestid])
  })

  it('service ls --stat: four parallel limit=1 counts, one per status', async () => {
    const { kubo } = await newClient()
    const queued = await kubo.add(await cidFor('stat q'))
    const pinned = await kubo.add(await cidFor('stat p'))
    const failed = await kubo.add(await cidFor('stat f'))
    await markPinned(api.deps, [pinned.requestid])
    await api.deps.database.prisma.pin.update({
      where: { id: failed.requestid },
      data: { status: 'failed' },
    })
    const counts = await Promise.all(
      ['queued', 'pinning', 'pinned', 'failed'].map(
        async (status) => (await kubo.list({ limit: '1', status })).count,
      ),
    )
    expect(counts).toEqual([1, 0, 1, 1])
    expect(queued.status).toBe('queued')
  })

  it('a wrong key fails with the service reason; a wrong path fails with 404', async () => {
    const bad = goClient(api.endpoint, 'not-a-token')
    await expect(bad.list({ limit: '1', status: 'pinned' })).rejects.toThrow(
      /reason: "UNAUTHORIZED".*: 401/,
    )
    const { user } = await newClient()
    const wrongPath = goClient(`${api.origin}/invalidpath`, user.token)
    await expect(wrongPath.list({ limit: '1', status: 'pinned' })).rejects.toThrow(/404/)
  })
})
