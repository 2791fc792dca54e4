import { createServer } from 'node:http'
import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import { base58btc } from 'multiformats/bases/base58'
import { describe, expect, it } from 'vitest'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  isDelegateAddress,
  parseDelegates,
  resolveDelegates,
  selectDelegates,
} from './delegates.js'
import { localPeerId, peerIdOfEd25519 } from './local-peer.js'
import { pinsSchema } from './config.js'

const peer = '12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp'

describe('delegates', () => {
  it('parses PIN_DELEGATES and refuses addresses without /p2p/', () => {
    expect(
      parseDelegates(`/ip4/1.2.3.4/tcp/4001/p2p/${peer}, /dns4/x.org/tcp/4001/p2p/${peer}`),
    ).toEqual([`/ip4/1.2.3.4/tcp/4001/p2p/${peer}`, `/dns4/x.org/tcp/4001/p2p/${peer}`])
    expect(parseDelegates('/ip4/1.2.3.4/tcp/4001')).toContain('/p2p/')
    expect(pinsSchema.safeParse({ PIN_DELEGATES: '/ip4/1.2.3.4/tcp/4001' }).success).toBe(false)
    expect(pinsSchema.parse({}).PIN_DEADLINE_MS).toBe(3_600_000)
  })

  it('prefers public addresses and keeps at most 20', () => {
    const addresses = [
      `/ip4/127.0.0.1/tcp/4001/p2p/${peer}`,
      `/ip4/192.168.1.2/tcp/4001/p2p/${peer}`,
      `/ip4/203.0.113.7/tcp/4001/p2p/${peer}`,
      '/ip4/203.0.113.7/tcp/4001',
      ...Array.from({ length: 30 }, (_, i) => `/ip4/198.51.100.${i}/tcp/4001/p2p/${peer}`),
    ]
    const selected = selectDelegates(addresses)
    expect(selected[0]).toBe(`/ip4/203.0.113.7/tcp/4001/p2p/${peer}`)
    expect(selected).toHaveLength(20)
    expect(selected).not.toContain(`/ip4/127.0.0.1/tcp/4001/p2p/${peer}`)
  })

  it('asks Kubo for its addresses when nothing is configured, and says what to set otherwise', async () => {
    const server = createServer((request, response) => {
      expect(request.url).toBe('/api/v0/id')
      response.setHeader('content-type', 'application/json')
      response.end(JSON.stringify({ ID: peer, Addresses: [`/ip4/127.0.0.1/tcp/4001/p2p/${peer}`] }))
    }).listen(0, '127.0.0.1')
    await once(server, 'listening')
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    try {
      const kubo = { blockstore: 'kubo' as const, localPath: '/nonexistent' }
      expect(await resolveDelegates({ ...kubo, configured: undefined, kuboRpcUrl: url })).toEqual([
        `/ip4/127.0.0.1/tcp/4001/p2p/${peer}`,
      ])
      expect(
        await resolveDelegates({
          ...kubo,
          configured: [`/dns4/a.org/tcp/1/p2p/${peer}`],
          kuboRpcUrl: url,
        }),
      ).toEqual([`/dns4/a.org/tcp/1/p2p/${peer}`])
    } finally {
      server.close()
    }
    await expect(
      resolveDelegates({
        configured: undefined,
        blockstore: 'kubo',
        kuboRpcUrl: 'http://127.0.0.1:1',
        localPath: '/nonexistent',
      }),
    ).rejects.toThrow(/PIN_DELEGATES/)
  })
})

describe('the local node identity', () => {
  it('derives peer ids as libp2p does: identity multihash of the protobuf public key', () => {
    const key = Uint8Array.from({ length: 32 }, (_, i) => i * 7)
    const id = peerIdOfEd25519(key)
    // Ed25519 peer ids always print as 12D3KooW… (the fixed prefix bytes 00 24 08 01 12 20).
    expect(id).toMatch(/^12D3KooW[1-9A-HJ-NP-Za-km-z]{44}$/)
    const bytes = base58btc.baseDecode(id)
    expect([...bytes.slice(0, 6)]).toEqual([0x00, 0x24, 0x08, 0x01, 0x12, 0x20])
    expect([...bytes.slice(6)]).toEqual([...key])
    expect(isDelegateAddress(`/ip4/127.0.0.1/tcp/4001/p2p/${id}`)).toBe(true)
  })

  it('keeps one identity per blockstore folder across calls', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'pins-peer-'))
    try {
      const [first, second] = await Promise.all([
        resolveDelegates({
          configured: undefined,
          blockstore: 'local',
          kuboRpcUrl: 'http://x',
          localPath: folder,
        }),
        resolveDelegates({
          configured: undefined,
          blockstore: 'local',
          kuboRpcUrl: 'http://x',
          localPath: folder,
        }),
      ])
      expect(first).toEqual(second)
      expect(await localPeerId(folder)).toBe(first?.[0]?.split('/p2p/')[1])
      expect(parseDelegates(first?.join(',') ?? '')).toEqual(first)
    } finally {
      await rm(folder, { recursive: true, force: true })
    }
  })
})
