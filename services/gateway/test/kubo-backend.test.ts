import { startKubo, type RunningKubo } from '@pinion/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { carCids, fixtures } from './helpers/fixtures.js'
import { startTestGateway, type TestGateway } from './helpers/harness.js'

// The same gateway over the kubo backend (the js-ipfs stand-in): the core paths only, since the
// gateway sees the blockstore through one interface and the rest is covered on the local backend.

let kubo: RunningKubo
let gw: TestGateway

beforeAll(async () => {
  kubo = await startKubo()
  gw = await startTestGateway({ BLOCKSTORE: 'kubo', KUBO_RPC_URL: kubo.rpcUrl })
})
afterAll(async () => {
  await gw?.close()
  await kubo?.stop()
})

describe('gateway over the kubo backend', () => {
  it('serves files, ranges, HAMT entries and listings', async () => {
    expect((await gw.api(`/ipfs/${fixtures.dirWithFiles}/hello.txt`)).text).toBe('hello world\n')
    const range = await gw.api(`/ipfs/${fixtures.dirWithFiles}/multiblock.txt`, {
      headers: { Range: 'bytes=250-260' },
    })
    expect(range.status).toBe(206)
    expect(range.body.length).toBe(11)
    expect((await gw.api(`/ipfs/${fixtures.hamt}/685.txt`)).body.length).toBe(1026)
    expect((await gw.api(`/ipfs/${fixtures.dirListing}/ą/ę/`)).text).toContain('file-źł.txt</a>')
  })

  it('serves raw blocks and CARs', async () => {
    const raw = await gw.api(`/ipfs/${fixtures.dagJson}?format=raw`)
    expect(raw.text).toContain('"foo"')
    const car = await gw.api(`/ipfs/${fixtures.twoFiles}/subdir?format=car`)
    expect((await carCids(car.body)).blocks).toEqual([
      fixtures.twoFiles,
      'bafybeiggghzz6dlue3m6nb2dttnbrygxh3lrjl5764f2m4gq7dgzdt55o4',
      'bafkreifkam6ns4aoolg3wedr4uzrs3kvq66p4pecirz6y2vlrngla62mxm',
      'bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4',
    ])
  })

  it('answers 404 (not 502/504) for a root Kubo does not have', async () => {
    const res = await gw.api('/ipfs/bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy')
    expect(res.status).toBe(404)
  })
})
