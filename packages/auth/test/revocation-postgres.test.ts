// Revocation against a real Postgres table: a token revoked (or deleted) in the database stops
// working through the HTTP middleware without restarting anything.
import { createServiceApp, createServiceDeps } from '@pinion/service-kit'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import {
  createRevocationList,
  createTokenIssuer,
  createTokenVerifier,
  requireToken,
  type RevocationList,
  type RevocationListInit,
} from '../src/index.js'
import { createTestDatabase, type TestDatabase } from './fixtures/postgres.js'
import { apiTokensDdl, pgRevocationSource } from './fixtures/pg-revocation-source.js'
import { audience, issuer, signingKey, silentLogger } from './fixtures/tokens.js'

const key = signingKey('EdDSA', 'k1')
const verifier = createTokenVerifier({ publicKeys: [key.publicJwk] }, { issuer, audience })
const tokens = createTokenIssuer({ signingKey: key }, { issuer, audience })

let db: TestDatabase
const lists: RevocationList[] = []

beforeAll(async () => {
  db = await createTestDatabase('auth_revocation')
  await db.pool.query(apiTokensDdl)
})

afterAll(async () => {
  await Promise.all(lists.map((list) => list.stop()))
  await db?.drop()
})

/** A token row in the database and its JWT, as the dashboard would create them. */
async function createToken(id: string): Promise<string> {
  await db.pool.query('INSERT INTO api_tokens (id, user_id) VALUES ($1, $2)', [id, 'user-1'])
  return tokens.issueApiToken({ userId: 'user-1', tokenId: id, scopes: ['pinning'] })
}

function appWith(init: RevocationListInit) {
  const logger = silentLogger()
  const revocations = createRevocationList({ source: pgRevocationSource(db.pool), logger }, init)
  lists.push(revocations)
  const app = createServiceApp(createServiceDeps('auth-it', logger), {
    mount(server) {
      server.get(
        '/pins',
        requireToken({ verifier, revocations, scope: 'pinning' }),
        (_req, res) => {
          res.json({ ok: true })
        },
      )
    },
  })
  const get = (token: string) => request(app).get('/pins').set('Authorization', `Bearer ${token}`)
  return { revocations, get }
}

describe('revocation over a Postgres api_tokens table', () => {
  it('rejects a token revoked in the database once the next poll sees it', async () => {
    // A long cache TTL, so only the poll can make the revocation visible.
    const { revocations, get } = appWith({ pollIntervalMs: 100, cacheTtlMs: 4000 })
    await revocations.start()
    const token = await createToken('poll-1')
    expect((await get(token)).status).toBe(200)
    await db.pool.query('UPDATE api_tokens SET revoked_at = now() WHERE id = $1', ['poll-1'])
    await vi.waitFor(async () => expect((await get(token)).status).toBe(401), {
      timeout: 4500,
      interval: 25,
    })
    const response = await get(token)
    expect(response.body).toEqual({
      error: { reason: 'UNAUTHORIZED', details: 'The token has been revoked' },
    })
  })

  it('rejects a token whose row was deleted once the cached answer expires', async () => {
    const { get } = appWith({ cacheTtlMs: 100 })
    const token = await createToken('deleted-1')
    expect((await get(token)).status).toBe(200)
    await db.pool.query('DELETE FROM api_tokens WHERE id = $1', ['deleted-1'])
    await vi.waitFor(async () => expect((await get(token)).status).toBe(401), {
      timeout: 4500,
      interval: 25,
    })
  })

  it('rejects at once a revocation pushed by the NATS subscriber', async () => {
    const { revocations, get } = appWith({ cacheTtlMs: 4000 })
    const token = await createToken('push-1')
    expect((await get(token)).status).toBe(200)
    await db.pool.query('UPDATE api_tokens SET revoked_at = now() WHERE id = $1', ['push-1'])
    revocations.markRevoked('push-1')
    expect((await get(token)).status).toBe(401)
  })

  it('never accepts a token revoked before the service started', async () => {
    const token = await createToken('old-1')
    await db.pool.query(
      "UPDATE api_tokens SET revoked_at = now() - interval '1 day' WHERE id = $1",
      ['old-1'],
    )
    const { revocations, get } = appWith({ pollIntervalMs: 100 })
    await revocations.start()
    expect((await get(token)).status).toBe(401)
  })

  it('answers 503 while the database cannot be reached, and polls report it', async () => {
    const unreachable = await createTestDatabase('auth_revocation_down')
    await unreachable.pool.query(apiTokensDdl)
    const logger = silentLogger()
    const revocations = createRevocationList(
      { source: pgRevocationSource(unreachable.pool), logger },
      { pollIntervalMs: 50, cacheTtlMs: 0 },
    )
    lists.push(revocations)
    await unreachable.drop()
    await revocations.start()
    await expect(revocations.status('any')).rejects.toThrow(
      'Token revocation status cannot be checked right now',
    )
    await vi.waitFor(() => expect(revocations.state().status).toBe('failing'))
  })
})
