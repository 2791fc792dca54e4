/** `@ipfs-shipyard/pinning-service-client` (the generated JS client) against the running service. */
import {
  Configuration,
  RemotePinningServiceClient,
  Status,
  TextMatchingStrategy,
} from '@ipfs-shipyard/pinning-service-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cidFor, markPinned, startPinningApi, type RunningPinningApi } from './helpers/service.js'

let api: RunningPinningApi
let client: RemotePinningServiceClient

beforeAll(async () => {
  api = await startPinningApi()
  const user = await api.newUser()
  client = new RemotePinningServiceClient(
    new Configuration({ endpointUrl: api.endpoint, accessToken: user.token }),
  )
})
afterAll(() => api.stop())

describe('@ipfs-shipyard/pinning-service-client', () => {
  it('adds, reads, lists with every filter style it sends, replaces and deletes', async () => {
    const cid = await cidFor('js client')
    const added = await client.pinsPost({
      pin: { cid, name: 'Photos 2024', meta: { app: 'js', kind: 'album' } },
    })
    expect(added.status).toBe(Status.Queued)
    expect(added.created).toBeInstanceOf(Date)
    expect(added.delegates.length).toBeGreaterThan(0)

    const read = await client.pinsRequestidGet({ requestid: added.requestid })
    expect(read.pin).toEqual({ cid, name: 'Photos 2024', meta: { app: 'js', kind: 'album' } })

    // Without a status filter the service answers pinned pins only.
    expect((await client.pinsGet({ cid: [cid] })).count).toBe(0)
    await markPinned(api.deps, [added.requestid])
    const byEverything = await client.pinsGet({
      cid: [cid],
      name: 'photos',
      match: TextMatchingStrategy.Ipartial,
      status: [Status.Pinned, Status.Queued],
      // The JS client sends meta as meta[key]=value.
      meta: { app: 'js' },
      before: new Date(Date.now() + 60_000),
      after: new Date(added.created.getTime() - 1),
      limit: 5,
    })
    expect(byEverything.count).toBe(1)
    expect(byEverything.results[0]?.requestid).toBe(added.requestid)

    const replaced = await client.pinsRequestidPost({
      requestid: added.requestid,
      pin: { cid: await cidFor('js client v2') },
    })
    expect(replaced.requestid).not.toBe(added.requestid)
    await expect(client.pinsRequestidGet({ requestid: added.requestid })).rejects.toMatchObject({
      status: 404,
    })

    await client.pinsRequestidDelete({ requestid: replaced.requestid })
    await expect(client.pinsRequestidGet({ requestid: replaced.requestid })).rejects.toMatchObject({
      status: 404,
    })
  })

  it('pages newest first with before, as the client reads created back as a Date', async () => {
    const ids: string[] = []
    for (let i = 0; i < 12; i += 1) {
      ids.push((await client.pinsPost({ pin: { cid: await cidFor(`js page ${i}`) } })).requestid)
    }
    await markPinned(api.deps, ids)
    const seen: string[] = []
    let before: Date | undefined
    for (;;) {
      const page = await client.pinsGet({ cid: undefined, limit: 5, ...(before ? { before } : {}) })
      seen.push(...page.results.map((pin) => pin.requestid))
      if (page.count === page.results.length) break
      before = page.results.at(-1)!.created
    }
    expect(seen.filter((id) => ids.includes(id))).toEqual([...ids].reverse())
  })
})
