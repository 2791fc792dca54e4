import { ContentUnavailableError, FetchTimeoutError, type PinOptions } from '@pinion/blockstore'
import { createLogger } from '@pinion/service-kit'
import { type CID } from 'multiformats/cid'
import { describe, expect, it } from 'vitest'
import { createMemoryPinRecords } from '../testing/memory-pin-records.js'
import type { PinRecord } from './pin-records.js'
import { processPinRequest } from './process-pin-request.js'

const cid = 'bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e'
const logger = createLogger({ service: 'test', level: 'silent' })
const init = { defaultDeadlineMs: 60_000, touchIntervalMs: 1000 }

function setup(pin: (root: CID, options: PinOptions) => Promise<number> = async () => 11) {
  const memory = createMemoryPinRecords()
  const published: Pick<PinRecord, 'id' | 'status' | 'info' | 'dagSize'>[] = []
  const unpinned: string[] = []
  const calls: PinOptions[] = []
  const components = {
    records: memory.records,
    logger,
    publishStatus: async (record: PinRecord) => {
      published.push({
        id: record.id,
        status: record.status,
        info: record.info,
        dagSize: record.dagSize,
      })
    },
    blockstore: {
      async pin(root: CID, options: PinOptions = {}) {
        calls.push(options)
        const bytes = await pin(root, options)
        return { cid: root, size: { blocks: 1, bytes } }
      },
      async unpin(root: CID) {
        unpinned.push(root.toString())
      },
    },
  }
  const run = (requestId: string, signal = new AbortController().signal) =>
    processPinRequest(components, init, { requestId, signal, working: () => {} })
  return { memory, published, unpinned, calls, run }
}

describe('processPinRequest', () => {
  it('queued → pinning → pinned with the DAG size, each change published once', async () => {
    const { memory, published, run, calls } = setup()
    memory.add({ id: 'a', cid, origins: ['https://origin.example'] })
    expect(await run('a')).toBe('pinned')
    expect(memory.pins.get('a')).toMatchObject({ status: 'pinned', dagSize: 11 })
    expect(published.map((event) => event.status)).toEqual(['pinning', 'pinned'])
    expect(calls[0]?.origins).toEqual(['https://origin.example'])
    expect(calls[0]?.deadlineMs).toBeGreaterThan(0)
  })

  it('a redelivered request for a pinned pin repeats its status and pins nothing', async () => {
    const { memory, published, run, calls } = setup()
    memory.add({ id: 'a', cid, status: 'pinned', dagSize: 11 })
    expect(await run('a')).toBe('skipped')
    expect(calls).toHaveLength(0)
    expect(published).toEqual([{ id: 'a', status: 'pinned', info: null, dagSize: 11 }])
  })

  it('a deleted or replaced pin is skipped silently', async () => {
    const { memory, published, run, calls } = setup()
    memory.add({ id: 'a', cid, deletedAt: new Date() })
    memory.add({ id: 'b', cid, replacedById: 'c' })
    expect(await run('a')).toBe('skipped')
    expect(await run('b')).toBe('skipped')
    expect(await run('missing')).toBe('skipped')
    expect(calls).toHaveLength(0)
    expect(published).toEqual([])
  })

  it('a pin already pinning (an upload) is not announced as pinning again', async () => {
    const { memory, published, run } = setup()
    memory.add({ id: 'a', cid, status: 'pinning' })
    expect(await run('a')).toBe('pinned')
    expect(published.map((event) => event.status)).toEqual(['pinned'])
  })

  it('a fetch timeout fails the pin with "deadline exceeded"', async () => {
    const { memory, published, run } = setup(async (root) => {
      throw new FetchTimeoutError(root.toString(), 10)
    })
    memory.add({ id: 'a', cid })
    expect(await run('a')).toBe('failed')
    expect(memory.pins.get('a')).toMatchObject({
      status: 'failed',
      info: { reason: 'deadline exceeded' },
    })
    expect(published.at(-1)).toMatchObject({
      status: 'failed',
      info: { reason: 'deadline exceeded' },
    })
  })

  it('unavailable content fails the pin with the blockstore reason', async () => {
    const { memory, run } = setup(async (root) => {
      throw new ContentUnavailableError(root.toString(), 'no gateway has it')
    })
    memory.add({ id: 'a', cid })
    expect(await run('a')).toBe('failed')
    expect(memory.pins.get('a')?.info?.reason).toMatch(/no gateway has it/)
  })

  it('a past deadline fails the pin without fetching', async () => {
    const { memory, run, calls } = setup()
    memory.add({ id: 'a', cid, deadlineAt: new Date(Date.now() - 1) })
    expect(await run('a')).toBe('failed')
    expect(calls).toHaveLength(0)
    expect(memory.pins.get('a')?.info).toEqual({ reason: 'deadline exceeded' })
  })

  it('a transient error (backend down) is thrown for a retry and fails nothing', async () => {
    const { memory, run } = setup(async () => {
      throw new Error('connect ECONNREFUSED')
    })
    memory.add({ id: 'a', cid })
    await expect(run('a')).rejects.toThrow('ECONNREFUSED')
    expect(memory.pins.get('a')?.status).toBe('pinning')
    expect(memory.pins.get('a')?.deadlineAt).not.toBeNull()
  })

  it('a pin deleted while fetching is unpinned again when nothing else references it', async () => {
    const { memory, run, unpinned } = setup(async () => {
      const row = memory.pins.get('a')
      if (row !== undefined) memory.pins.set('a', { ...row, deletedAt: new Date() })
      memory.references.set(cid, 0)
      return 11
    })
    memory.add({ id: 'a', cid })
    expect(await run('a')).toBe('skipped')
    expect(unpinned).toEqual([cid])
  })

  it('stopping (aborted signal) is a retry, never a failure', async () => {
    const controller = new AbortController()
    const { memory, run } = setup(async () => {
      controller.abort(new Error('stopping'))
      throw new FetchTimeoutError(cid, 1)
    })
    memory.add({ id: 'a', cid })
    await expect(run('a', controller.signal)).rejects.toThrow()
    expect(memory.pins.get('a')?.status).toBe('pinning')
  })
})
