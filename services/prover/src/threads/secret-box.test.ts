import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { openSecret, sealSecret } from './secret-box.js'

describe('secret box', () => {
  const key = new Uint8Array(randomBytes(32))
  const secret = new TextEncoder().encode('tagging secret')

  it('opens what it sealed, and never shows the plaintext in the box', () => {
    const sealed = sealSecret(key, 'k1', secret)
    expect(Buffer.from(sealed).includes(Buffer.from(secret))).toBe(false)
    expect(openSecret(key, 'k1', sealed)).toEqual(secret)
  })

  it('refuses another key id, another seal key, a flipped bit or a truncated box', () => {
    const sealed = sealSecret(key, 'k1', secret)
    expect(() => openSecret(key, 'k2', sealed)).toThrow(/does not open/)
    expect(() => openSecret(new Uint8Array(randomBytes(32)), 'k1', sealed)).toThrow(/does not open/)
    const flipped = sealed.slice()
    flipped[14] = flipped[14]! ^ 1
    expect(() => openSecret(key, 'k1', flipped)).toThrow(/does not open/)
    expect(() => openSecret(key, 'k1', sealed.subarray(0, 20))).toThrow(/truncated/)
  })
})
