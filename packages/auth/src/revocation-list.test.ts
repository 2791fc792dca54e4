import { ServiceUnavailableError } from '@pinion/service-kit'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createMemorySource, type MemorySource } from '../test/fixtures/memory-source.js'
import { silentLogger } from '../test/fixtures/tokens.js'
import { InvalidTokenError } from './errors.js'
import {
  createRevocationList,
  type RevocationList,
  type RevocationListInit,
} from './revocation-list.js'

const lists: RevocationList[] = []
afterEach(async () => {
  await Promise.all(lists.splice(0).map((list) => list.stop()))
})

function setup(init: RevocationListInit = {}): { source: MemorySource; list: RevocationList } {
  const source = createMemorySource()
  const list = createRevocationList({ source, logger: silentLogger() }, init)
  lists.push(list)
  return { source, list }
}

/** Waits for the list to report `status` for the token, through the real clock. */
async function eventually(list: RevocationList, tokenId: string, status: string): Promise<void> {
  await vi.waitFor(async () => expect(await list.status(tokenId)).toBe(status), {
    timeout: 4500,
    interval: 10,
  })
}

describe('createRevocationList', () => {
  it('accepts active tokens and refuses unknown ones (a deleted row)', async () => {
    const { source, list } = setup()
    source.add('live')
    expect(await list.status('live')).toBe('active')
    await expect(list.assertActive('live')).resolves.toBeUndefined()
    expect(await list.status('never-issued')).toBe('inactive')
    await expect(list.assertActive('never-issued')).rejects.toThrow(
      new InvalidTokenError('The token has been revoked or no longer exists'),
    )
  })

  it('caches lookups so a busy token does not query the store per request', async () => {
    const { source, list } = setup({ cacheTtlMs: 4000 })
    source.add('busy')
    await Promise.all(Array.from({ length: 20 }, () => list.status('busy')))
    for (let i = 0; i < 20; i++) await list.status('busy')
    expect(source.calls.isActive).toBe(1)
  })

  it('sees a revocation through polling while the cached answer is still fresh', async () => {
    const { source, list } = setup({ pollIntervalMs: 20, cacheTtlMs: 4000 })
    source.add('t1')
    await list.start()
    expect(await list.status('t1')).toBe('active')
    source.revoke('t1')
    await eventually(list, 't1', 'revoked')
    await expect(list.assertActive('t1')).rejects.toThrow('The token has been revoked')
    // The poll answered it: the store was asked only once, before the revocation.
    expect(source.calls.isActive).toBe(1)
  })

  it('sees a revocation through cache expiry alone when polling is not running', async () => {
    const { source, list } = setup({ cacheTtlMs: 20 })
    source.add('t2')
    expect(await list.status('t2')).toBe('active')
    source.revoke('t2')
    await eventually(list, 't2', 'inactive')
  })

  it('stops accepting a deleted token once its cached answer expires', async () => {
    const { source, list } = setup({ pollIntervalMs: 20, cacheTtlMs: 30 })
    source.add('gone')
    await list.start()
    expect(await list.status('gone')).toBe('active')
    source.remove('gone')
    await eventually(list, 'gone', 'inactive')
  })

  it('applies a pushed revocation at once, even over a fresh cached answer', async () => {
    const { source, list } = setup({ cacheTtlMs: 4000 })
    source.add('pushed')
    expect(await list.status('pushed')).toBe('active')
    list.markRevoked('pushed')
    expect(await list.status('pushed')).toBe('revoked')
  })

  it('lets a revocation that lands during a lookup win over the lookup', async () => {
    const { source, list } = setup({ cacheTtlMs: 4000 })
    source.add('racing')
    let release!: () => void
    const gate = new Promise<void>((resolve) => (release = resolve))
    const isActive = source.isActive.bind(source)
    source.isActive = async (tokenId) => {
      const answer = await isActive(tokenId)
      await gate
      return answer
    }
    const pending = list.status('racing')
    list.markRevoked('racing')
    release()
    expect(await pending).toBe('revoked')
    source.isActive = isActive
    expect(await list.status('racing')).toBe('revoked')
  })

  it('reads revocations made before it started through the store, not the poll', async () => {
    const { source, list } = setup({ pollIntervalMs: 20 })
    source.add('old')
    source.revoke('old', new Date(Date.now() - 86_400_000))
    await list.start()
    await vi.waitFor(() => expect(list.state().status).toBe('synced'))
    expect(await list.status('old')).toBe('inactive')
  })

  it('fails closed with 503 when the store cannot be asked', async () => {
    const { source, list } = setup({ cacheTtlMs: 0 })
    source.add('t3')
    source.failWith = new Error('connection refused')
    const error = await list.status('t3').catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(ServiceUnavailableError)
    expect((error as Error).cause).toBe(source.failWith)
  })

  it('reports its sync state for readiness, and recovers', async () => {
    const { source, list } = setup({ pollIntervalMs: 20, staleAfterMs: 60 })
    await expect(list.healthCheck.check(new AbortController().signal)).rejects.toThrow(
      'not running',
    )
    expect(list.state()).toEqual({
      status: 'stopped',
      lastSyncAt: undefined,
      consecutiveFailures: 0,
    })
    source.failWith = new Error('down')
    await list.start()
    await vi.waitFor(() => expect(list.state().consecutiveFailures).toBeGreaterThan(1))
    expect(list.state().status).toBe('failing')
    await expect(list.healthCheck.check(new AbortController().signal)).rejects.toThrow(
      'has not synced yet',
    )
    source.failWith = undefined
    await vi.waitFor(() => expect(list.state().status).toBe('synced'))
    await expect(list.healthCheck.check(new AbortController().signal)).resolves.toBeUndefined()
    source.failWith = new Error('down again')
    await vi.waitFor(() =>
      expect(list.healthCheck.check(new AbortController().signal)).rejects.toThrow(
        /last synced \d+ ms ago/,
      ),
    )
    await list.stop()
    expect(list.state().status).toBe('stopped')
  })

  it('stops polling when stopped', async () => {
    const { source, list } = setup({ pollIntervalMs: 10 })
    await list.start()
    await vi.waitFor(() => expect(source.calls.listRevokedSince).toBeGreaterThan(1))
    await list.stop()
    const calls = source.calls.listRevokedSince
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(source.calls.listRevokedSince).toBe(calls)
  })

  it('forgets the oldest ids beyond maxEntries and asks the store again', async () => {
    const { source, list } = setup({ cacheTtlMs: 4000, maxEntries: 2 })
    for (const id of ['a', 'b', 'c']) source.add(id)
    for (const id of ['a', 'b', 'c']) await list.status(id)
    expect(source.calls.isActive).toBe(3)
    await list.status('c')
    expect(source.calls.isActive).toBe(3)
    await list.status('a')
    expect(source.calls.isActive).toBe(4)
  })

  it('refuses delays that would break the 5 s promise', () => {
    const source = createMemorySource()
    const logger = silentLogger()
    expect(() => createRevocationList({ source, logger }, { pollIntervalMs: 5000 })).toThrow(
      RangeError,
    )
    expect(() => createRevocationList({ source, logger }, { cacheTtlMs: 4001 })).toThrow(RangeError)
  })
})
