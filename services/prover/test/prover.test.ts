import { randomBytes, randomUUID } from 'node:crypto'
import {
  createKey as libCreateKey,
  tagDag,
  type BlockInput,
  type ProtocolName,
} from '@pinion/proofs'
import { buildCompatChallenge, createAuditor, SetupError } from '@pinion/prover-client'
import { CID } from 'multiformats/cid'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { api, b64, createKey, proveRaw, startProver, tag, type Harness } from './helpers.js'

let harness: Harness
let owner: { id: string; token: string }
let other: { id: string; token: string }
let fileA: CID
let fileB: CID

beforeAll(async () => {
  harness = await startProver({ PROVER_MAX_CHALLENGE: '60', PROVER_PROVE_RATE_PER_KEY: '8' })
  owner = await harness.user()
  other = await harness.user()
  fileA = await harness.pinFile(owner.id, new Uint8Array(randomBytes(3000)))
  fileB = await harness.pinFile(owner.id, new Uint8Array(randomBytes(2100)))
})
afterAll(async () => {
  await harness?.stop()
})

/** Creates a key, tags `roots` and builds an auditor over them in that order. */
async function audited(body: Record<string, unknown>, roots: CID[]) {
  const key = await createKey(harness, owner.token, body)
  for (const root of roots) {
    const state = await tag(harness, owner.token, key.key_id, root)
    expect(state).toMatchObject({ status: 'ready' })
  }
  const setup = (await api(harness, owner.token).get(`/prover/api/v1/setup?key_id=${key.key_id}`))
    .body as {
    client_setup_signed: string
    service_public_key: string
    roots: { root: string; root_descriptor_signed: string; chunk_count: number }[]
  }
  const descriptorOf = (root: CID) =>
    setup.roots.find((r) => r.root === root.toString())!.root_descriptor_signed
  const auditorFor = (order: CID[]) =>
    createAuditor({
      keyId: key.key_id,
      clientSetup: setup.client_setup_signed,
      rootDescriptors: order.map(descriptorOf),
      servicePublicKey: Buffer.from(setup.service_public_key, 'base64'),
      ...(key.owner_secret ? { ownerSecret: key.owner_secret } : {}),
    })
  return { key, setup, auditor: auditorFor(roots), auditorFor }
}

async function proveFor(keyId: string, roots: CID[], challenge: Uint8Array) {
  return proveRaw(harness, {
    key_id: keyId,
    roots: roots.map(String),
    challenge: b64(challenge),
  })
}

describe('an honest audit round through the HTTP API', () => {
  const cases: [ProtocolName, Record<string, unknown>][] = [
    ['sw-pub', { sectors: 8 }],
    ['sw-priv', {}],
    ['ateniese', { suite: 'rsa-2048' }],
    ['erway', { suite: 'rsa-2048' }],
  ]
  it.each(cases)('%s: the proof verifies and the key counts the audit', async (protocol, extra) => {
    const { key, auditor } = await audited({ protocol, challenge_size: 3, ...extra }, [fileA])
    const n = auditor.roots[0]!.chunkCount
    const { challenge, validator } = auditor.buildChallenge({ c: Math.min(3, n) })
    const res = await proveFor(key.key_id, [fileA], challenge)
    expect(res.status, res.body.toString()).toBe(200)
    expect(res.headers['content-type']).toContain('application/vnd.pinion.proof+pnpf')
    expect(await validator.verify(challenge, res.body)).toEqual({ ok: true })
    const listed = await api(harness, owner.token).get('/prover/api/v1/challenge-keys')
    const entry = listed.body.keys.find((k: { key_id: string }) => k.key_id === key.key_id)
    expect(entry).toMatchObject({ audit_count: 1, blocks_audited: Math.min(3, n), protocol })
    expect(entry.roots).toEqual([
      expect.objectContaining({ root: fileA.toString(), status: 'ready' }),
    ])
  })

  it('tag reports the canonical block ids, counts and a signed descriptor', async () => {
    const key = await createKey(harness, owner.token, { protocol: 'sw-priv' })
    const state = await tag(harness, owner.token, key.key_id, fileA)
    expect(state).toMatchObject({ status: 'ready', progress: 1, chunk_count: 2, chunk_size: 1984 })
    expect(state.total_bytes).toBeGreaterThan(3000)
    const ids = state.block_ids as string[]
    expect(ids).toContain(fileA.toString())
    const sorted = [...ids].sort((a, b) =>
      Buffer.compare(Buffer.from(CID.parse(a).bytes), Buffer.from(CID.parse(b).bytes)),
    )
    expect(ids).toEqual(sorted)
    expect(typeof state.root_descriptor_signed).toBe('string')
  })
})

describe('corruption', () => {
  it('a single flipped byte in a challenged chunk makes the audit fail', async () => {
    const { key, auditor } = await audited({ protocol: 'sw-priv' }, [fileA])
    // Flip the first byte of one leaf and challenge every chunk, so the chunk holding the flipped
    // byte is among them.
    const leaves: CID[] = []
    for await (const node of harness.deps.blockstore.walkDag(fileA))
      if (node.links.length === 0) leaves.push(node.cid)
    const n = auditor.roots[0]!.chunkCount
    expect(n).toBeLessThanOrEqual(60)
    const restore = await harness.corrupt(leaves[0]!)
    try {
      const { challenge, validator } = auditor.buildChallenge({ c: n })
      const res = await proveFor(key.key_id, [fileA], challenge)
      expect(res.status).toBe(200)
      expect(await validator.verify(challenge, res.body)).toEqual({ ok: false, reason: 'mismatch' })
    } finally {
      await restore()
    }
    const { challenge, validator } = auditor.buildChallenge({ c: n })
    const again = await proveFor(key.key_id, [fileA], challenge)
    expect(await validator.verify(challenge, again.body)).toEqual({ ok: true })
  })
})

describe('root order binding', () => {
  it('a proof for [A, B] does not verify as [B, A] or [A]', async () => {
    const { key, auditor, auditorFor } = await audited({ protocol: 'sw-priv' }, [fileA, fileB])
    const { challenge, validator } = auditor.buildChallenge({ c: 3 })
    const res = await proveFor(key.key_id, [fileA, fileB], challenge)
    expect(await validator.verify(challenge, res.body)).toEqual({ ok: true })
    const swapped = auditorFor([fileB, fileA]).buildChallenge({ c: 3 })
    expect((await swapped.validator.verify(challenge, res.body)).ok).toBe(false)
    const single = auditorFor([fileA]).buildChallenge({ c: 1 })
    expect((await single.validator.verify(challenge, res.body)).ok).toBe(false)
    // The server refuses to answer [A, B] over a request that holds only [A].
    expect((await proveFor(key.key_id, [fileA], challenge)).status).toBe(400)
    // Empty roots = every tagged root in CID-byte order, merged into one proof.
    const ordered = [fileA, fileB].sort((a, b) => Buffer.compare(a.bytes, b.bytes))
    const all = auditorFor(ordered).buildChallenge({ c: 4 })
    const merged = await proveRaw(harness, { key_id: key.key_id, challenge: b64(all.challenge) })
    expect(await all.validator.verify(all.challenge, merged.body)).toEqual({ ok: true })
  })
})

describe('malformed input', () => {
  it('rejects a tampered client_setup as untrusted', async () => {
    const { setup, key } = await audited({ protocol: 'sw-pub', sectors: 2 }, [fileB])
    const signed = Buffer.from(setup.client_setup_signed, 'base64')
    signed[40] = signed[40]! ^ 0x01
    expect(() =>
      createAuditor({
        keyId: key.key_id,
        clientSetup: signed,
        rootDescriptors: [setup.roots[0]!.root_descriptor_signed],
        servicePublicKey: Buffer.from(setup.service_public_key, 'base64'),
      }),
    ).toThrow(SetupError)
    // Unsigned, a changed λ (field 0x03 at bytes 29–44) no longer matches the hashed generators.
    const plain = Buffer.from(key.client_setup, 'base64')
    plain[30] = plain[30]! ^ 0x01
    try {
      createAuditor({
        keyId: key.key_id,
        clientSetup: plain,
        rootDescriptors: [
          (await api(harness, owner.token).get(`/prover/api/v1/setup?key_id=${key.key_id}`)).body
            .roots[0].root_descriptor,
        ],
      })
      expect.unreachable('a tampered setup must not be accepted')
    } catch (error) {
      expect(error).toBeInstanceOf(SetupError)
      expect((error as SetupError).reason).toBe('untrusted-setup')
    }
  })

  it('refuses truncated challenges, answers truncated proofs as malformed, caps c', async () => {
    const { key, auditor } = await audited({ protocol: 'sw-priv', sectors: 1 }, [fileB])
    const { challenge, validator } = auditor.buildChallenge({ c: 61 })
    const big = await proveFor(key.key_id, [fileB], challenge)
    expect(big.status).toBe(400)
    expect(JSON.parse(big.body.toString()).error.details).toMatch(/limit of 60/)
    const truncated = await proveFor(key.key_id, [fileB], challenge.subarray(0, 30))
    expect(truncated.status).toBe(400)
    expect(JSON.parse(truncated.body.toString()).error.details).toMatch(/malformed/)
    const ok = auditor.buildChallenge({ c: 2 })
    const proof = (await proveFor(key.key_id, [fileB], ok.challenge)).body as Buffer
    expect(await ok.validator.verify(ok.challenge, proof.subarray(0, proof.length - 1))).toEqual({
      ok: false,
      reason: 'malformed',
    })
    expect(await validator.verify(challenge, proof)).toMatchObject({ ok: false })
    const garbage = await proveRaw(harness, { key_id: key.key_id, challenge: 'not base64!' })
    expect(garbage.status).toBe(400)
  })
})

describe('auth and ownership', () => {
  it('requires a prover token and hides other users’ keys', async () => {
    expect((await request(harness.app).get('/prover/api/v1/challenge-keys')).status).toBe(401)
    const key = await createKey(harness, owner.token, { protocol: 'sw-priv' })
    const intruder = api(harness, other.token)
    expect((await intruder.get(`/prover/api/v1/setup?key_id=${key.key_id}`)).status).toBe(404)
    expect(
      (await intruder.post('/prover/api/v1/tag', { key_id: key.key_id, root: String(fileA) }))
        .status,
    ).toBe(404)
    expect((await intruder.delete(`/prover/api/v1/challenge-key/${key.key_id}`)).status).toBe(404)
    expect((await intruder.get('/prover/api/v1/challenge-keys')).body.keys).toEqual([])
    // Only content the user pinned can be tagged.
    const foreign = await harness.pinFile(other.id, new Uint8Array(randomBytes(500)))
    const refused = await api(harness, owner.token).post('/prover/api/v1/tag', {
      key_id: key.key_id,
      root: String(foreign),
    })
    expect(refused.status).toBe(400)
    const mine = api(harness, owner.token)
    expect((await mine.delete(`/prover/api/v1/challenge-key/${key.key_id}`)).status).toBe(204)
    expect((await mine.get(`/prover/api/v1/setup?key_id=${key.key_id}`)).status).toBe(404)
  })
})

describe('role separation', () => {
  it('proves without the TA secret: the prove path never reads it', async () => {
    const { key, auditor } = await audited({ protocol: 'sw-pub', sectors: 2 }, [fileB])
    await harness.deps.database.prisma.proverKey.update({
      where: { id: key.key_id },
      data: { encryptedSecret: new Uint8Array(randomBytes(64)) },
    })
    const { challenge, validator } = auditor.buildChallenge({ c: 2 })
    const res = await proveFor(key.key_id, [fileB], challenge)
    expect(await validator.verify(challenge, res.body)).toEqual({ ok: true })
    // Tagging needs it, and fails cleanly with a tampered box.
    const state = await tag(harness, owner.token, key.key_id, fileA)
    expect(state).toMatchObject({ status: 'failed' })
    expect(String(state.error)).toMatch(/does not open/)
  })
})

describe('client-side tagging', () => {
  it('registers the owner’s own tags, proves over them, and unregisters', async () => {
    const keyId = randomUUID()
    const keyBytes = new TextEncoder().encode(keyId)
    const local = await libCreateKey('sw-priv', { keyId: keyBytes })
    const blocks: BlockInput[] = []
    for await (const node of harness.deps.blockstore.walkDag(fileA))
      blocks.push({ cid: node.cid, bytes: await harness.deps.blockstore.get(node.cid) })
    const tagged = await tagDag({
      keyId: keyBytes,
      taSecret: local.taSecret,
      publicSetup: local.publicSetup,
      root: fileA,
      blocks,
    })
    const client = api(harness, owner.token)
    const registered = await client.post('/prover/api/v1/register', {
      key_id: keyId,
      root: String(fileA),
      prover_setup: b64(local.proverSetup),
      tags: tagged.tagBatches.map(b64),
      root_descriptor: b64(tagged.descriptor),
      client_setup: b64(local.publicSetup),
    })
    expect(registered.status).toBe(201)
    expect(registered.body.block_ids).toEqual(tagged.blockIds)
    const auditor = createAuditor({
      keyId,
      clientSetup: local.publicSetup,
      ownerSecret: local.ownerSecret!,
      rootDescriptors: [tagged.descriptor],
    })
    const { challenge, validator } = auditor.buildChallenge({ c: 2 })
    const res = await proveFor(keyId, [fileA], challenge)
    expect(await validator.verify(challenge, res.body)).toEqual({ ok: true })
    // A descriptor that does not match the pinned DAG is refused.
    const wrong = await client.post('/prover/api/v1/register', {
      key_id: keyId,
      root: String(fileB),
      prover_setup: b64(local.proverSetup),
      tags: tagged.tagBatches.map(b64),
      root_descriptor: b64(tagged.descriptor),
    })
    expect(wrong.status).toBe(400)
    expect(
      (await api(harness, other.token).delete(`/prover/api/v1/register/${keyId}/${fileA}`)).status,
    ).toBe(404)
    expect((await client.delete(`/prover/api/v1/register/${keyId}/${fileA}`)).status).toBe(204)
    expect((await proveFor(keyId, [fileA], challenge)).status).toBe(404)
  })
})

describe('sw-pub bn254-compat', () => {
  it('speaks the original JSON wire end to end', async () => {
    const key = await createKey(harness, owner.token, {
      protocol: 'sw-pub',
      suite: 'bn254-compat',
      sectors: 4,
    })
    expect(key.suite).toBe('bn254-compat')
    const state = await tag(harness, owner.token, key.key_id, fileB)
    expect(state).toMatchObject({ status: 'ready' })
    const setup = JSON.parse(Buffer.from(key.client_setup, 'base64').toString()) as {
      protocol: string
    }
    expect(setup.protocol).toBe('swpub')
    const roots = [{ cid: fileB.bytes, count: state.chunk_count as number }]
    const { challenge, validator } = buildCompatChallenge(key.client_setup, roots, 3)
    const res = await proveFor(key.key_id, [fileB], challenge)
    expect(res.status).toBe(200)
    expect(JSON.parse(res.body.toString())).toHaveProperty('sigma')
    expect(await validator.verify(challenge, res.body)).toEqual({ ok: true })
  })
})

describe('rate limit', () => {
  it('answers 429 with Retry-After once a key is over its limit', async () => {
    const { key, auditor } = await audited({ protocol: 'sw-priv' }, [fileB])
    const statuses: number[] = []
    for (let i = 0; i < 9; i++) {
      const { challenge } = auditor.buildChallenge({ c: 1 })
      const res = await proveFor(key.key_id, [fileB], challenge)
      statuses.push(res.status)
      if (res.status === 429) expect(Number(res.headers['retry-after'])).toBeGreaterThan(0)
    }
    expect(statuses.slice(0, 8)).toEqual(Array(8).fill(200))
    expect(statuses[8]).toBe(429)
  })
})
