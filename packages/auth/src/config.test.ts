import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ConfigError, httpSchema, parseConfig } from '@pinion/service-kit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { loadAuthKeys } from './auth-keys.js'
import { authSchema, refineAuthConfig } from './config.js'
import { generateSigningKey } from './signing-key.js'

const current = generateSigningKey({ kid: 'current' })
const retired = generateSigningKey({ alg: 'ES256', kid: 'retired' })
const jwks = JSON.stringify({ keys: [retired.publicJwk] })

function problems(env: Record<string, string>): string[] {
  try {
    parseConfig(authSchema, env)
  } catch (error) {
    if (error instanceof ConfigError) return error.problems
    throw error
  }
  return []
}

describe('authSchema', () => {
  it('has defaults for everything but the keys', () => {
    const config = parseConfig(authSchema, { AUTH_PUBLIC_KEYS: jwks })
    expect(config).toMatchObject({
      AUTH_ISSUER: 'pinion',
      AUTH_AUDIENCE: 'pinion',
      AUTH_CLOCK_TOLERANCE_S: 5,
      AUTH_REVOCATION_POLL_MS: 2000,
      AUTH_REVOCATION_CACHE_MS: 2000,
      AUTH_LAST_USED_INTERVAL_S: 60,
      AUTH_OIDC_GROUPS_CLAIM: 'groups',
    })
  })

  it('needs some key to verify with', () => {
    expect(problems({})).toEqual([
      expect.stringMatching(/^AUTH_PUBLIC_KEYS: no key to verify tokens with/),
    ])
    expect(problems({ AUTH_JWKS_URL: 'http://dashboard:8080/.well-known/jwks.json' })).toEqual([])
  })

  it('refuses a value and its _FILE twin together', () => {
    expect(
      problems({ AUTH_SIGNING_KEY: current.privateKeyPem, AUTH_SIGNING_KEY_FILE: '/run/key' }),
    ).toEqual(['AUTH_SIGNING_KEY_FILE: set AUTH_SIGNING_KEY or AUTH_SIGNING_KEY_FILE, not both'])
    expect(problems({ AUTH_PUBLIC_KEYS: jwks, AUTH_PUBLIC_KEYS_FILE: '/run/jwks' })).toEqual([
      'AUTH_PUBLIC_KEYS_FILE: set AUTH_PUBLIC_KEYS or AUTH_PUBLIC_KEYS_FILE, not both',
    ])
  })

  it('names a bad inline key without printing it', () => {
    const secret = current.privateKeyPem.replace('MC4CAQAw', 'MC4CAQAx')
    const found = problems({ AUTH_SIGNING_KEY: secret, AUTH_PUBLIC_KEYS: '{"keys":[{}]}' })
    expect(found).toEqual([
      'AUTH_SIGNING_KEY: the PEM is not an unencrypted private key (PKCS#8 or SEC1)',
      'AUTH_PUBLIC_KEYS: key 1 needs a "kid" of 1-128 characters [A-Za-z0-9_.:-]',
    ])
    expect(found.join('\n')).not.toContain(secret.split('\n')[1])
  })

  it('refuses a public key list that reuses the signing key id for another key', () => {
    const clash = JSON.stringify({ keys: [generateSigningKey({ kid: 'current' }).publicJwk] })
    // A PEM carries no kid: its thumbprint is used, which does not clash.
    expect(problems({ AUTH_SIGNING_KEY: current.privateKeyPem, AUTH_PUBLIC_KEYS: clash })).toEqual(
      [],
    )
    expect(
      problems({
        AUTH_SIGNING_KEY: current.privateKeyPem,
        AUTH_SIGNING_KEY_ID: 'current',
        AUTH_PUBLIC_KEYS: clash,
      }),
    ).toEqual(['AUTH_PUBLIC_KEYS: two different keys share the kid "current"'])
  })

  it('keeps both revocation delays under the 5 s promise', () => {
    expect(problems({ AUTH_PUBLIC_KEYS: jwks, AUTH_REVOCATION_POLL_MS: '5000' })).toEqual([
      expect.stringMatching(/^AUTH_REVOCATION_POLL_MS: /),
    ])
    expect(problems({ AUTH_PUBLIC_KEYS: jwks, AUTH_REVOCATION_CACHE_MS: '4001' })).toEqual([
      expect.stringMatching(/^AUTH_REVOCATION_CACHE_MS: /),
    ])
  })

  it('wants a signing key when a signing key id is given', () => {
    expect(problems({ AUTH_PUBLIC_KEYS: jwks, AUTH_SIGNING_KEY_ID: 'k' })).toEqual([
      'AUTH_SIGNING_KEY_ID: needs AUTH_SIGNING_KEY or AUTH_SIGNING_KEY_FILE',
    ])
  })

  it('wants the OIDC variables together, a distinct issuer and valid scope mappings', () => {
    expect(problems({ AUTH_PUBLIC_KEYS: jwks, AUTH_OIDC_ISSUER: 'pinion' })).toEqual([
      'AUTH_OIDC_JWKS_URL: required when accepting OIDC tokens',
      'AUTH_OIDC_AUDIENCE: required when accepting OIDC tokens',
      'AUTH_OIDC_GROUP_SCOPES: required when accepting OIDC tokens',
      'AUTH_OIDC_ISSUER: must differ from AUTH_ISSUER (tokens are routed by issuer)',
    ])
    const oidc = {
      AUTH_PUBLIC_KEYS: jwks,
      AUTH_OIDC_ISSUER: 'https://id.example.org/realms/x',
      AUTH_OIDC_JWKS_URL: 'https://id.example.org/realms/x/certs',
      AUTH_OIDC_AUDIENCE: 'pinion',
    }
    expect(problems({ ...oidc, AUTH_OIDC_GROUP_SCOPES: '{' })).toEqual([
      'AUTH_OIDC_GROUP_SCOPES: must be valid JSON',
    ])
    expect(problems({ ...oidc, AUTH_OIDC_GROUP_SCOPES: '{"ops":["root"]}' })).toEqual([
      expect.stringMatching(/^AUTH_OIDC_GROUP_SCOPES\.ops\.0: /),
    ])
    const config = parseConfig(authSchema, {
      ...oidc,
      AUTH_OIDC_GROUP_SCOPES: '{"ops":["admin","pinning"]}',
    })
    expect(config.AUTH_OIDC_GROUP_SCOPES).toEqual({ ops: ['admin', 'pinning'] })
  })

  it('keeps its rules when a service composes the fragment into its own schema', () => {
    const ServiceSchema = z
      .object({ ...httpSchema.shape, ...authSchema.shape })
      .superRefine(refineAuthConfig)
    expect(() => parseConfig(ServiceSchema, {})).toThrow(/AUTH_PUBLIC_KEYS: no key/)
    expect(parseConfig(ServiceSchema, { AUTH_PUBLIC_KEYS: jwks }).PORT).toBe(8080)
  })
})

describe('loadAuthKeys', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pinion-auth-'))
    await writeFile(join(dir, 'signing.pem'), current.privateKeyPem)
    await writeFile(join(dir, 'jwks.json'), jwks)
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('reads key files and adds the signing key to the verification keys', async () => {
    const config = parseConfig(authSchema, {
      AUTH_SIGNING_KEY_FILE: join(dir, 'signing.pem'),
      AUTH_SIGNING_KEY_ID: 'current',
      AUTH_PUBLIC_KEYS_FILE: join(dir, 'jwks.json'),
    })
    const keys = await loadAuthKeys(config)
    expect(keys.signingKey?.kid).toBe('current')
    expect(keys.publicKeys.map((key) => key.kid)).toEqual(['current', 'retired'])
  })

  it('uses inline values as they are', async () => {
    const keys = await loadAuthKeys({ AUTH_PUBLIC_KEYS: jwks })
    expect(keys).toEqual({ signingKey: undefined, publicKeys: [retired.publicJwk] })
  })

  it('reports unreadable and invalid files by variable', async () => {
    await writeFile(join(dir, 'bad.json'), '{"keys":[{"kty":"OKP"}]}')
    const error = await loadAuthKeys({
      AUTH_SIGNING_KEY_FILE: join(dir, 'missing.pem'),
      AUTH_PUBLIC_KEYS_FILE: join(dir, 'bad.json'),
    }).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as ConfigError).problems).toEqual([
      'AUTH_SIGNING_KEY_FILE: cannot read the file (ENOENT)',
      'AUTH_PUBLIC_KEYS_FILE: key 1 needs a "kid" of 1-128 characters [A-Za-z0-9_.:-]',
    ])
  })
})
