import { describe, expect, it } from 'vitest'
import { hashPassword, verifyPassword } from './passwords.js'

describe('the password KDF shared by sign-in and the CLI', () => {
  it('hashes into a salted Argon2id PHC string that verifies only the same password', async () => {
    const first = await hashPassword('correct horse battery staple')
    const second = await hashPassword('correct horse battery staple')
    expect(first).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/)
    expect(second).not.toBe(first)
    expect(await verifyPassword(first, 'correct horse battery staple')).toBe(true)
    expect(await verifyPassword(second, 'correct horse battery staple')).toBe(true)
    expect(await verifyPassword(first, 'correct horse battery stapl')).toBe(false)
  })

  it('answers false for a malformed hash instead of throwing', async () => {
    expect(await verifyPassword('not a hash', 'anything')).toBe(false)
    expect(await verifyPassword('', 'anything')).toBe(false)
  })
})
