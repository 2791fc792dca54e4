import { jetstreamManager } from '@nats-io/jetstream'
import { connect } from '@nats-io/transport-node'
import { afterAll, describe, expect, it } from 'vitest'
import { cleanupNamespace, natsUrl, startNatsServer, uniqueNamespace } from '../src/index.js'

describe('uniqueNamespace', () => {
  it('gives distinct lower-case tokens that start with a letter', () => {
    const names = Array.from({ length: 50 }, () => uniqueNamespace())
    expect(new Set(names).size).toBe(50)
    for (const name of names) expect(name).toMatch(/^[a-z][a-z0-9]{11}$/)
  })
})

describe('cleanupNamespace', () => {
  it("deletes the namespace's streams and nothing else", async () => {
    const mine = uniqueNamespace()
    const other = uniqueNamespace()
    const nc = await connect({ servers: natsUrl() })
    try {
      const jsm = await jetstreamManager(nc)
      for (const [namespace, stream] of [
        [mine, 'PINS'],
        [mine, 'PIN_STATUS'],
        [other, 'PINS'],
      ] as const) {
        await jsm.streams.add({
          name: `${namespace.toUpperCase()}_${stream}`,
          subjects: [`${namespace}.${stream.toLowerCase()}`],
        })
      }
      await cleanupNamespace(natsUrl(), mine)
      const left: string[] = []
      for await (const name of jsm.streams.names()) {
        if (name.startsWith(mine.toUpperCase()) || name.startsWith(other.toUpperCase()))
          left.push(name)
      }
      expect(left).toEqual([`${other.toUpperCase()}_PINS`])
      await cleanupNamespace(natsUrl(), other)
      await cleanupNamespace(natsUrl(), other) // nothing left: still fine
    } finally {
      await nc.close()
    }
  })

  it('refuses a namespace that would match other streams', async () => {
    await expect(cleanupNamespace(natsUrl(), '')).rejects.toThrow(RangeError)
    await expect(cleanupNamespace(natsUrl(), 'T1')).rejects.toThrow(RangeError)
  })
})

describe('startNatsServer', () => {
  const servers: { stop(): Promise<void> }[] = []
  afterAll(async () => {
    for (const server of servers) await server.stop()
  })

  it('runs a private JetStream server that keeps its state across restart()', async () => {
    const server = await startNatsServer({ jetstream: true })
    servers.push(server)
    expect(server.url).toBe(`nats://127.0.0.1:${server.port}`)
    let nc = await connect({ servers: server.url })
    await (await jetstreamManager(nc)).streams.add({ name: 'KEPT', subjects: ['kept'] })
    await nc.close()

    await server.restart()
    nc = await connect({ servers: server.url })
    const names: string[] = []
    // JetStream recovers its store just after the port opens; retry briefly.
    for (let attempt = 0; names.length === 0 && attempt < 40; attempt += 1) {
      try {
        for await (const name of (await jetstreamManager(nc)).streams.names()) names.push(name)
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
    }
    expect(names).toEqual(['KEPT'])
    await nc.close()
  })

  it('kill() takes the server down until restart()', async () => {
    const server = await startNatsServer({ jetstream: true })
    servers.push(server)
    await server.kill()
    await expect(connect({ servers: server.url, timeout: 500, reconnect: false })).rejects.toThrow()
    await server.restart()
    const nc = await connect({ servers: server.url })
    await nc.close()
  })
})
