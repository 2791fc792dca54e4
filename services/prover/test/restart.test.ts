import { randomBytes } from 'node:crypto'
import { ChallengesExhaustedError, createAuditor } from '@pinion/prover-client'
import type { CID } from 'multiformats/cid'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { api, b64, createKey, proveRaw, startProver, tag, type Harness } from './helpers.js'

let harness: Harness
let owner: { id: string; token: string }
let file: CID

beforeAll(async () => {
  harness = await startProver()
  owner = await harness.user()
  file = await harness.pinFile(owner.id, new Uint8Array(randomBytes(2100)))
})
afterAll(async () => {
  await harness?.stop()
})

describe('bjo across restarts', () => {
  it('answers each sentinel once, also after a restart, and the owner stops after Q', async () => {
    const key = await createKey(harness, owner.token, {
      protocol: 'bjo',
      challenge_size: 4,
      sentinels: 3,
    })
    expect(await tag(harness, owner.token, key.key_id, file)).toMatchObject({ status: 'ready' })
    const setup = (await api(harness, owner.token).get(`/prover/api/v1/setup?key_id=${key.key_id}`))
      .body
    const auditor = () =>
      createAuditor({
        keyId: key.key_id,
        clientSetup: setup.client_setup_signed,
        ownerSecret: key.owner_secret!,
        rootDescriptors: [setup.roots[0].root_descriptor_signed],
        servicePublicKey: Buffer.from(setup.service_public_key, 'base64'),
      })
    const prove = (challenge: Uint8Array) =>
      proveRaw(harness, { key_id: key.key_id, roots: [String(file)], challenge: b64(challenge) })

    // The owner's persisted state: the number of sentinels used.
    let used = 0
    const first = auditor().buildChallenge({ c: 1, bjoState: { used } })
    used = first.bjoState!.used
    const answered = await prove(first.challenge)
    expect(answered.status).toBe(200)
    expect(await first.validator.verify(first.challenge, answered.body)).toEqual({ ok: true })
    expect((await prove(first.challenge)).status).toBe(409)

    await harness.restart()
    expect((await prove(first.challenge)).status).toBe(409)
    for (let j = 2; j <= 3; j++) {
      const next = auditor().buildChallenge({ c: 1, bjoState: { used } })
      used = next.bjoState!.used
      const res = await prove(next.challenge)
      expect(await next.validator.verify(next.challenge, res.body)).toEqual({ ok: true })
    }
    expect(used).toBe(3)
    expect(() => auditor().buildChallenge({ c: 1, bjoState: { used } })).toThrow(
      ChallengesExhaustedError,
    )
  })
})

describe('background tagging', () => {
  it('resumes a job left unfinished by a restart', async () => {
    const key = await createKey(harness, owner.token, { protocol: 'sw-priv' })
    // A row in `tagging` that no job is running: what a crash mid-tagging leaves behind.
    await harness.deps.database.prisma.proverTag.create({
      data: { keyId: key.key_id, root: String(file) },
    })
    const query = `key_id=${key.key_id}&root=${file}`
    const before = await api(harness, owner.token).get(`/prover/api/v1/tag?${query}`)
    expect(before.body).toMatchObject({ status: 'tagging', progress: 0 })
    await harness.restart()
    const deadline = Date.now() + 15_000
    let state = before.body as { status: string }
    while (state.status === 'tagging' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100))
      state = (await api(harness, owner.token).get(`/prover/api/v1/tag?${query}`)).body
    }
    expect(state).toMatchObject({ status: 'ready', progress: 1 })
  })
})
