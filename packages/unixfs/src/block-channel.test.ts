import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { describe, expect, it } from 'vitest'
import { BlockChannel } from './block-channel.js'

async function block(n: number) {
  const bytes = new Uint8Array([n])
  return { cid: CID.createV1(raw.code, await sha256.digest(bytes)), bytes }
}

describe('BlockChannel', () => {
  it('hands blocks over in order and ends on close', async () => {
    const channel = new BlockChannel(2)
    const received: number[] = []
    const consuming = (async () => {
      for await (const b of channel) received.push(b.bytes[0] ?? -1)
    })()
    for (let i = 0; i < 5; i++) await channel.put(await block(i))
    channel.close()
    await consuming
    expect(received).toEqual([0, 1, 2, 3, 4])
  })

  it('makes put wait while full', async () => {
    const channel = new BlockChannel(1)
    await channel.put(await block(1))
    let second = false
    const pending = channel.put(await block(2)).then(() => (second = true))
    await new Promise((resolve) => setImmediate(resolve))
    expect(second).toBe(false)
    const iterator = channel[Symbol.asyncIterator]()
    await iterator.next()
    await pending
    expect(second).toBe(true)
  })

  it('fails waiting producers and the consumer with the first error', async () => {
    const channel = new BlockChannel(1)
    await channel.put(await block(1))
    const waiting = channel.put(await block(2))
    const error = new Error('stop')
    channel.fail(error)
    channel.fail(new Error('later'))
    await expect(waiting).rejects.toBe(error)
    await expect(channel.put(await block(3))).rejects.toBe(error)
    await expect(channel[Symbol.asyncIterator]().next()).rejects.toBe(error)
  })

  it('refuses a capacity below one', () => {
    expect(() => new BlockChannel(0)).toThrow(RangeError)
  })
})
