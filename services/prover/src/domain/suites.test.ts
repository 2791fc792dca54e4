import { describe, expect, it } from 'vitest'
import { COMPAT_SUITE, suiteByName, suiteName } from './suites.js'

describe('suites', () => {
  it('maps API names to suite bytes and back; the default is suite 1', () => {
    expect(suiteByName('sw-pub', undefined)).toBe(1)
    expect(suiteByName('sw-pub', 'bn254-compat')).toBe(COMPAT_SUITE)
    expect(suiteByName('ateniese', 'rsa-2048')).toBe(2)
    expect(suiteName('erway', 1)).toBe('rsa-3072')
    expect(suiteName('sw-pub', COMPAT_SUITE)).toBe('bn254-compat')
  })

  it('refuses a suite the protocol does not have, listing the ones it has', () => {
    expect(() => suiteByName('sw-priv', 'bn254-compat')).toThrow(/choose one of p25519/)
  })
})
