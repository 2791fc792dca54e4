import { access } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { startKubo } from '../src/kubo.js'

async function rpc(rpcUrl: string, command: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${rpcUrl}/api/v0/${command}`, { method: 'POST' })
  expect(response.status).toBe(200)
  return (await response.json()) as Record<string, unknown>
}

describe('startKubo', () => {
  it('runs two offline daemons side by side on free ports and removes their repos on stop', async () => {
    const [a, b] = await Promise.all([startKubo(), startKubo()])
    try {
      expect(a.rpcUrl).not.toBe(b.rpcUrl)
      expect(a.rpcUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      const [idA, idB] = await Promise.all([rpc(a.rpcUrl, 'id'), rpc(b.rpcUrl, 'id')])
      expect(idA.ID).not.toBe(idB.ID)
      // Offline: no swarm listeners, so nothing on the machine can dial it.
      expect(idA.Addresses ?? []).toEqual([])
      const version = await rpc(a.rpcUrl, 'version')
      expect(version.Version).toBe('0.18.1')
    } finally {
      await Promise.all([a.stop(), b.stop()])
    }
    await expect(access(a.repo)).rejects.toThrow()
    await expect(fetch(`${a.rpcUrl}/api/v0/id`, { method: 'POST' })).rejects.toThrow()
  })

  it('serves added content on its gateway', async () => {
    const kubo = await startKubo()
    try {
      const form = new FormData()
      form.append('file', new Blob(['hello pinion']), 'hello.txt')
      const added = await fetch(`${kubo.rpcUrl}/api/v0/add?cid-version=1`, {
        method: 'POST',
        body: form,
      })
      const { Hash } = (await added.json()) as { Hash: string }
      const served = await fetch(`${kubo.gatewayUrl}/ipfs/${Hash}`)
      expect(await served.text()).toBe('hello pinion')
    } finally {
      await kubo.stop()
    }
  })
})
