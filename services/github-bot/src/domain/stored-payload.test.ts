import { describe, expect, it } from 'vitest'
import { maxStoredPayloadChars, storedPayload } from './stored-payload.js'

describe('storedPayload', () => {
  it('keeps ordinary payloads as they are', () => {
    const payload = { ref: 'refs/heads/main', commits: [{ id: 'a', added: ['x'] }] }
    expect(storedPayload(payload)).toBe(payload)
  })

  it('cuts a huge push to its first 20 commits without file lists, saying how many went', () => {
    const commits = Array.from({ length: 2048 }, (_, index) => ({
      id: String(index),
      message: 'm',
      added: Array.from({ length: 100 }, (_, file) => `src/file-${file}.ts`),
      modified: [],
      removed: [],
    }))
    const payload = { ref: 'refs/heads/main', after: 'f'.repeat(40), commits }
    expect(JSON.stringify(payload).length).toBeGreaterThan(maxStoredPayloadChars)
    const stored = storedPayload(payload)
    expect(stored).toMatchObject({
      ref: 'refs/heads/main',
      after: 'f'.repeat(40),
      commits_omitted: 2028,
    })
    expect(stored.commits).toEqual(
      commits.slice(0, 20).map((commit) => ({ id: commit.id, message: 'm' })),
    )
  })
})
