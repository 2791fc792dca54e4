import { describe, expect, it } from 'vitest'
import { errorText, shortRef } from './job.js'
import { PushPayloadSchema } from './payloads.js'

describe('errorText', () => {
  it('names the missing payload fields instead of dumping zod’s JSON', () => {
    const parsed = PushPayloadSchema.safeParse({ ref: 'refs/heads/main' })
    expect(parsed.success).toBe(false)
    expect(errorText(parsed.error)).toMatch(
      /^unexpected payload: after: .+; repository: .+; installation: .+$/,
    )
  })

  it('prefers an AppError’s details, then the first line of a message', () => {
    expect(errorText({ details: 'safe details', message: 'inner' })).toBe('safe details')
    expect(errorText(new Error('first line\nsecond'))).toBe('first line')
    expect(errorText('plain')).toBe('plain')
  })
})

describe('shortRef', () => {
  it('abbreviates a full sha and leaves other refs alone', () => {
    expect(shortRef('a'.repeat(40))).toBe('aaaaaaa')
    expect(shortRef('v1.2.0')).toBe('v1.2.0')
  })
})
