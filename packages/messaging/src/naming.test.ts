import { describe, expect, it } from 'vitest'
import { registrySubject, streamName, subjectName, validateNamespace } from './naming.js'

describe('naming', () => {
  it('keeps registry names when the namespace is empty', () => {
    expect(streamName('PINS')).toBe('PINS')
    expect(subjectName('pinion.pins.requested')).toBe('pinion.pins.requested')
    expect(registrySubject('pinion.pins.requested')).toBe('pinion.pins.requested')
  })

  it('prefixes streams upper case and subjects lower case', () => {
    expect(streamName('PINS', 't1a2b')).toBe('T1A2B_PINS')
    expect(streamName('PIN_STATUS', 't1a2b')).toBe('T1A2B_PIN_STATUS')
    expect(subjectName('pinion.pins.requested', 't1a2b')).toBe('t1a2b.pinion.pins.requested')
  })

  it('strips the namespace again, and rejects subjects outside it', () => {
    expect(registrySubject('t1a2b.pinion.pins.status', 't1a2b')).toBe('pinion.pins.status')
    expect(registrySubject('other.pinion.pins.status', 't1a2b')).toBeUndefined()
  })

  it.each(['T1', '1abc', 'a.b', 'a*', 'a>', 'a_b', 'a-b', 'x'.repeat(33)])(
    'rejects namespace %j',
    (namespace) => {
      expect(() => validateNamespace(namespace)).toThrow(RangeError)
      expect(() => streamName('PINS', namespace)).toThrow(RangeError)
      expect(() => subjectName('pinion.x', namespace)).toThrow(RangeError)
    },
  )

  it.each(['', 'a', 't1a2b', 'x'.repeat(32)])('accepts namespace %j', (namespace) => {
    expect(validateNamespace(namespace)).toBe(namespace)
  })
})
