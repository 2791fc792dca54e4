import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ensureSigningKeyFile } from './key-file.js'

describe('ensureSigningKeyFile', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pinion-key-'))
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('creates a private key file readable only by its owner, then reuses it', async () => {
    const path = join(dir, 'nested', 'signing.pem')
    const first = await ensureSigningKeyFile(path)
    expect(first.created).toBe(true)
    expect(first.key.alg).toBe('EdDSA')
    expect((await stat(path)).mode & 0o777).toBe(0o600)
    expect(await readFile(path, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/)
    const second = await ensureSigningKeyFile(path)
    expect(second.created).toBe(false)
    expect(second.key.kid).toBe(first.key.kid)
  })

  it('gives processes that start together the same key and leaves no temporary files', async () => {
    const path = join(dir, 'race.pem')
    const results = await Promise.all(
      Array.from({ length: 5 }, () => ensureSigningKeyFile(path, { alg: 'ES256' })),
    )
    expect(new Set(results.map((result) => result.key.kid)).size).toBe(1)
    expect(results.filter((result) => result.created)).toHaveLength(1)
    expect((await readdir(dir)).filter((name) => name.endsWith('.tmp'))).toEqual([])
  })

  it('refuses an existing file that is not a usable key', async () => {
    const path = join(dir, 'broken.pem')
    await writeFile(path, 'not a key')
    await expect(ensureSigningKeyFile(path)).rejects.toThrow(TypeError)
  })
})
