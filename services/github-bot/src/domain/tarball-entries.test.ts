import { describe, expect, it } from 'vitest'
import { repositoryTarball } from '../testing/tarball.js'
import { directoryEntries, type TarballScan } from './tarball-entries.js'

async function listed(files: { path: string; content?: string }[], path: string) {
  const tarball = await repositoryTarball(files, { owner: 'o', repo: 'r', sha: 'f'.repeat(40) })
  const scan: TarballScan = { found: false, files: 0, skipped: 0 }
  const entries: string[] = []
  for await (const entry of directoryEntries([tarball], path, scan)) {
    let text = ''
    if (entry.content !== undefined)
      for await (const chunk of entry.content) text += Buffer.from(chunk).toString()
    entries.push(entry.content === undefined ? `${entry.path}/` : `${entry.path}=${text}`)
  }
  return { entries, scan }
}

describe('directoryEntries', () => {
  const tree = [
    { path: 'docs/index.md', content: 'index' },
    { path: 'docs/guide/a.md', content: 'a' },
    { path: 'docs/.nojekyll', content: '' },
    { path: 'docs/empty' },
    { path: 'docsx/not-me.md', content: 'no' },
    { path: 'README.md', content: 'readme' },
  ]

  it('gives the folder’s files and folders relative to it, without hidden ones or neighbours', async () => {
    const { entries, scan } = await listed(tree, 'docs')
    expect(entries.sort()).toEqual(['empty/', 'guide/', 'guide/a.md=a', 'index.md=index'])
    expect(scan).toEqual({ found: true, files: 2, skipped: 0 })
  })

  it('`.` is the whole repository; a missing folder is reported as not found', async () => {
    expect((await listed(tree, '.')).entries).toContain('README.md=readme')
    const missing = await listed(tree, 'nope')
    expect(missing).toEqual({ entries: [], scan: { found: false, files: 0, skipped: 0 } })
  })
})
