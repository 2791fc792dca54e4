import { describe, expect, it } from 'vitest'
import {
  deterministicBytes,
  deterministicNames,
  MemoryBlockstore,
  text,
} from '../test/helpers/memory-blockstore.js'
import { kuboProfile } from './profile.js'
import { createUnixfsImporter, type ImportEntry } from './unixfs-importer.js'

// Sources of every CID: test/vectors/README.md.

function importer(profile = kuboProfile, keepBytes = true) {
  const blockstore = new MemoryBlockstore({ keepBytes })
  return { blockstore, unixfs: createUnixfsImporter({ blockstore }, { profile }) }
}

describe('CIDv1 vectors (ipfs add --cid-version=1)', () => {
  it.each([
    ['hello world', 'bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e'],
    ['Hello IPFS\n', 'bafkreidfdrlkeq4m4xnxuyx6iae76fdm4wgl5d4xzsb77ixhyqwumhz244'],
    ['hello\n', 'bafkreicysg23kiwv34eg2d7qweipxwosdo2py4ldv42nbauguluen5v6am'],
    ['', 'bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku'],
  ])('file %j', async (content, cid) => {
    const { unixfs, blockstore } = importer()
    const result = await unixfs.addFile(text(content))
    expect(result.cid.toString()).toBe(cid)
    expect(result.contentBytes).toBe(new TextEncoder().encode(content).length)
    expect(blockstore.blocks.has(cid)).toBe(true)
    // A single top-level file through addAll is the file itself, as `ipfs add FILE`.
    const single = await importer().unixfs.addAll([{ path: 'name.txt', content: text(content) }])
    expect(single.cid.toString()).toBe(cid)
  })

  it('gateway-cache tree: root2 unwrapped, and wrapped (-w)', async () => {
    const entries = (): ImportEntry[] => [
      { path: 'root2/root3/root4/index.html', content: text('hello\n') },
    ]
    const { unixfs, blockstore } = importer()
    const root2 = await unixfs.addAll(entries())
    expect(root2.cid.toString()).toBe('bafybeih2w7hjocxjg6g2ku25hvmd53zj7og4txpby3vsusfefw5rrg5sii')
    // The wrapper the importer always builds is not written when it is not the answer.
    expect(
      blockstore.blocks.has('bafybeib3ffl2teiqdncv3mkz4r23b5ctrwkzrrhctdbne6iboayxuxk5ui'),
    ).toBe(false)
    expect(root2.blocks).toBe(4)
    const wrapped = await importer().unixfs.addAll(entries(), { wrap: 'always' })
    expect(wrapped.cid.toString()).toBe(
      'bafybeib3ffl2teiqdncv3mkz4r23b5ctrwkzrrhctdbne6iboayxuxk5ui',
    )
    expect(wrapped.blocks).toBe(5)
  })

  it('raw-block directory, wrapped', async () => {
    const { unixfs, blockstore } = importer()
    const result = await unixfs.addAll(
      [{ path: 'dir/ascii.txt', content: text('hello application/vnd.ipld.raw\n') }],
      { wrap: 'always' },
    )
    expect(result.cid.toString()).toBe(
      'bafybeie72edlprgtlwwctzljf6gkn2wnlrddqjbkxo3jomh4n7omwblxly',
    )
    expect(
      blockstore.blocks.has('bafkreihhpc5y2pqvl5rbe5uuyhqjouybfs3rvlmisccgzue2kkt5zq6upq'),
    ).toBe(true)
  })

  it('UTF-8 names and nested directories', async () => {
    const { unixfs, blockstore } = importer()
    const result = await unixfs.addAll([
      { path: 'rootDir/ą/ę/file-źł.txt', content: text('I am a txt file on path with utf8\n') },
      { path: 'rootDir/api/file.txt', content: text('I am a txt file in confusing /api dir\n') },
      { path: 'rootDir/ipfs/file.txt', content: text('I am a txt file in confusing /ipfs dir\n') },
      { path: 'rootDir/ipns/file.txt', content: text('I am a txt file in confusing /ipns dir\n') },
    ])
    expect(result.cid.toString()).toBe(
      'bafybeig6ka5mlwkl4subqhaiatalkcleo4jgnr3hqwvpmsqfca27cijp3i',
    )
    expect(
      blockstore.blocks.has('bafkreialihlqnf5uwo4byh4n3cmwlntwqzxxs2fg5vanqdi3d7tb2l5xkm'),
    ).toBe(true)
  })
})

describe('layout and HAMT vectors (unixfs-v0-2015: the same chunker, links and threshold)', () => {
  const v0 = { ...kuboProfile, cidVersion: 0 as const, rawLeaves: false }
  const KiB = 1024

  it.each([
    [44_544, 'QmUbBALi174SnogsUzLpYbD4xPiBSFANF4iztWCsHbMKh2'],
    [44_800, 'QmepeWtdmS1hHXx1oZXsPUv6bMrfRRKfZcoPPU4eEfjnbf'],
  ])('%i KiB file', async (kib, cid) => {
    const { unixfs } = importer(v0, false)
    const result = await unixfs.addFile(deterministicBytes(kib * KiB, 'v0-seed'))
    expect(result.cid.toString()).toBe(cid)
    expect(result.contentBytes).toBe(kib * KiB)
  })

  it.each([
    [4096, 30, 'QmX5GtRk3TSSEHtdrykgqm4eqMEn3n2XhfkFAis5fjyZmN'],
    [4033, 31, 'QmeMiJzmhpJAUgynAcxTQYek5PPKgdv3qEvFsdV3XpVnvP'],
  ])('directory of %i files with %i-character names', async (count, length, cid) => {
    const names = await deterministicNames(count, length, length, 'hamt-unixfs-v0-2015')
    const { unixfs } = importer(v0, false)
    const result = await unixfs.addAll(
      names.map((name) => ({ path: `dir/${name}`, content: text('x') })),
    )
    expect(result.cid.toString()).toBe(cid)
  })
})
