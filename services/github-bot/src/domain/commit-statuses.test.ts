import { describe, expect, it } from 'vitest'
import { gatewayUrl, statusContext, statusDescription } from './commit-statuses.js'

describe('commit statuses', () => {
  it('one path: pinion/ipfs; several: pinion/ipfs: <path>/', () => {
    expect(statusContext('docs', 1)).toBe('pinion/ipfs')
    expect(statusContext('site/public', 2)).toBe('pinion/ipfs: site/public/')
    expect(statusContext('.', 3)).toBe('pinion/ipfs: ./')
  })

  it('cuts descriptions to 140 characters with an ellipsis, counting code points', () => {
    const long = `Pinned docs/ → ${'bafy'.repeat(50)}`
    const cut = statusDescription(long)
    expect([...cut]).toHaveLength(140)
    expect(cut.endsWith('…')).toBe(true)
    expect(statusDescription('  short\n text ')).toBe('short text')
  })

  it('links to the gateway under PUBLIC_URL', () => {
    expect(gatewayUrl('https://pinion.example.org/', 'bafyx')).toBe(
      'https://pinion.example.org/gateway/web/ipfs/bafyx/',
    )
  })
})
