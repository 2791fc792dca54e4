import { randomBytes } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createSigningKey, openEnvelope, signFrame } from '@pinion/proofs'
import { describe, expect, it } from 'vitest'
import { deriveServiceKeys, loadMasterKey, parseMasterKey } from './service-keys.js'

describe('service keys', () => {
  it('parses hex and base64 master keys and rejects other lengths without echoing them', () => {
    const bytes = randomBytes(32)
    expect(parseMasterKey(bytes.toString('hex'))).toEqual(new Uint8Array(bytes))
    expect(parseMasterKey(bytes.toString('base64'))).toEqual(new Uint8Array(bytes))
    expect(parseMasterKey(bytes.toString('base64url') + '\n')).toEqual(new Uint8Array(bytes))
    expect(() => parseMasterKey('c2hvcnQ=')).toThrow(/^PROVER_SECRETS_KEY must be 32 bytes/)
  })

  it('reads the key from a file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'prover-key-'))
    try {
      const bytes = randomBytes(32)
      await writeFile(join(dir, 'key'), bytes.toString('base64'))
      expect(await loadMasterKey({ PROVER_SECRETS_KEY_FILE: join(dir, 'key') })).toEqual(
        new Uint8Array(bytes),
      )
    } finally {
      await rm(dir, { recursive: true })
    }
  })

  it('derives separate, stable seal and signing keys whose signatures verify', () => {
    const master = new Uint8Array(randomBytes(32))
    const a = deriveServiceKeys(master)
    expect(deriveServiceKeys(master)).toEqual(a)
    expect(Buffer.from(a.sealKey).equals(Buffer.from(a.signingSecret))).toBe(false)
    // Any PNPF frame will do: the envelope of a signing key's own frame.
    const frame = signFrame(createSigningKey().secretKey, 'setup', minimalFrame())
    const envelope = signFrame(a.signingSecret, 'root', frame)
    expect(openEnvelope(envelope, a.signingPublic, 'root')).toEqual(frame)
  })
})

// A PNPF v1 public-setup frame header with no fields.
function minimalFrame(): Uint8Array {
  return Uint8Array.of(0x50, 0x4e, 0x50, 0x46, 1, 1, 1, 1)
}
