import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runCli } from '@pinion/cli'
import { createLogger } from '@pinion/service-kit'
import type { CID } from 'multiformats/cid'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { api, createKey, startProver, tag, type Harness } from './helpers.js'

let harness: Harness
let server: Server
let url: string
let owner: { id: string; token: string }
let file: CID
let stateDir: string

beforeAll(async () => {
  harness = await startProver()
  owner = await harness.user()
  file = await harness.pinFile(owner.id, new Uint8Array(randomBytes(2500)))
  server = harness.app.listen(0, '127.0.0.1')
  await new Promise((resolve) => server.once('listening', resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  stateDir = await mkdtemp(join(tmpdir(), 'pinion-audit-'))
})
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve))
  await harness?.stop()
  await rm(stateDir, { recursive: true, force: true })
})

async function audit(args: string[]) {
  const out: string[] = []
  const err: string[] = []
  const code = await runCli(['audit', '--server', url, '--token', owner.token, ...args], {
    env: {},
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    logger: createLogger({ service: 'cli-test', level: 'silent' }),
  })
  return { code, out: out.join('\n'), err: err.join('\n') }
}

describe('pinion audit', () => {
  it('runs a full round, pinning the service key, and fails on a corrupted block', async () => {
    const key = await createKey(harness, owner.token, {
      protocol: 'sw-pub',
      sectors: 4,
      challenge_size: 50,
    })
    await tag(harness, owner.token, key.key_id, file)
    const serviceKey = (await api(harness, owner.token).get('/prover/service-key')).body.public_key
    const ok = await audit([
      '--key',
      key.key_id,
      '--root',
      String(file),
      '--service-key',
      serviceKey,
    ])
    expect(ok).toMatchObject({ code: 0 })
    expect(ok.out).toMatch(/^audit ok: key .* \(sw-pub, bls12-381\), 1 root/)
    // Flip a byte in every leaf; challenge_size 50 is above the chunk count, so every chunk (and
    // so every flipped byte) is challenged.
    const restores = []
    for await (const node of harness.deps.blockstore.walkDag(file))
      if (node.links.length === 0) restores.push(await harness.corrupt(node.cid))
    try {
      const failed = await audit(['--key', key.key_id])
      expect(failed.code).toBe(1)
      expect(failed.err).toMatch(/audit FAILED: the proof does not verify \(mismatch\)/)
    } finally {
      for (const restore of restores) await restore()
    }
    const forged = await audit([
      '--key',
      key.key_id,
      '--service-key',
      Buffer.alloc(32).toString('base64'),
    ])
    expect(forged.code).toBe(1)
    expect(forged.err).toMatch(/untrusted-setup/)
  })

  it('counts bjo sentinels in its own state file and stops after Q', async () => {
    const key = await createKey(harness, owner.token, {
      protocol: 'bjo',
      challenge_size: 4,
      sentinels: 2,
    })
    await tag(harness, owner.token, key.key_id, file)
    const args = [
      '--key',
      key.key_id,
      '--owner-secret',
      key.owner_secret!,
      '--state',
      join(stateDir, 's.json'),
    ]
    expect((await audit(args)).code).toBe(0)
    expect((await audit(args)).code).toBe(0)
    const third = await audit(args)
    expect(third.code).toBe(1)
    expect(third.err).toMatch(/sentinels of this root are used/)
  })
})
