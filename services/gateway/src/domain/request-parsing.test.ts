import { describe, expect, it } from 'vitest'
import { entityRange, parseCarParams } from './car-params.js'
import { contentDisposition } from './content-disposition.js'
import { contentPathText, parseContentPath } from './content-path.js'
import { GatewayRequestError, RangeNotSatisfiableError } from './errors.js'
import { ifNoneMatchHits, ifRangeAllows } from './etag.js'
import { negotiateFormat } from './formats.js'
import { parseRange } from './ranges.js'

const cid = 'bafybeihchr7vmgjaasntayyatmp5sv6xza57iy2h4xj7g46bpjij6yhrmy'
const limits = { maxLength: 4096, maxSegments: 8 }

describe('parseContentPath', () => {
  it('splits the CID, decodes each segment once and notes the trailing slash', () => {
    const path = parseContentPath(`/${cid}/%C4%85/a%252Cb/`, limits)
    expect(path.cidText).toBe(cid)
    expect(path.segments).toEqual(['ą', 'a%2Cb'])
    expect(path.trailingSlash).toBe(true)
    expect(contentPathText(path)).toBe(`/ipfs/${cid}/%C4%85/a%252Cb/`)
    expect(parseContentPath(`/${cid}`, limits).trailingSlash).toBe(false)
  })

  it.each([
    ['/', 'missing CID'],
    [`/${cid}/../x`, 'dot-dot'],
    [`/${cid}/%2e`, 'encoded dot'],
    [`/${cid}//x`, 'empty segment'],
    [`/${cid}/a%2Fb`, 'slash inside a name'],
    [`/${cid}/a%00`, 'NUL'],
    [`/${cid}/%zz`, 'bad escape'],
    [`/${cid}/${'a/'.repeat(9)}`, 'too many segments'],
    [`/${cid}/${'a'.repeat(5000)}`, 'too long'],
    ['/Qmnope', 'invalid CID'],
  ])('refuses %s (%s) with 400', (raw) => {
    expect(() => parseContentPath(raw, limits)).toThrow(GatewayRequestError)
  })
})

describe('negotiateFormat', () => {
  it('prefers ?format= over Accept and takes the first IPLD type of Accept otherwise', () => {
    expect(negotiateFormat({ format: 'raw' }, 'application/vnd.ipld.car').format).toBe('raw')
    const accept = negotiateFormat({}, 'text/html, application/vnd.ipld.car; order=dfs; dups=y')
    expect(accept).toMatchObject({
      format: 'car',
      source: 'accept',
      car: { order: 'dfs', dups: 'y' },
    })
    expect(negotiateFormat({}, 'text/html,*/*;q=0.8')).toMatchObject({
      format: undefined,
      acceptsHtml: true,
    })
  })

  it('lets car-* query parameters win over Accept parameters', () => {
    const result = negotiateFormat(
      { format: 'car', 'car-dups': 'n' },
      'application/vnd.ipld.car; dups=y; version=1',
    )
    expect(result.car).toEqual({ version: '1', order: undefined, dups: 'n' })
  })

  it('refuses unknown formats and IPLD vendor types with 400', () => {
    expect(() => negotiateFormat({ format: 'xml' }, undefined)).toThrow(GatewayRequestError)
    expect(() => negotiateFormat({}, 'application/vnd.ipld.foo')).toThrow(GatewayRequestError)
  })
})

describe('parseRange', () => {
  it('parses single, open, suffix and multiple ranges against the size', () => {
    expect(parseRange('bytes=6-16', 31)).toEqual([{ start: 6, end: 16 }])
    expect(parseRange('bytes=6-', 31)).toEqual([{ start: 6, end: 30 }])
    expect(parseRange('bytes=-3', 31)).toEqual([{ start: 28, end: 30 }])
    expect(parseRange('bytes=0-99', 31)).toEqual([{ start: 0, end: 30 }])
    expect(parseRange('bytes=6-16, 0-4', 31)).toEqual([
      { start: 6, end: 16 },
      { start: 0, end: 4 },
    ])
  })

  it('ignores what it may ignore and refuses the rest', () => {
    expect(parseRange(undefined, 31)).toBeUndefined()
    expect(parseRange('items=0-1', 31)).toBeUndefined()
    expect(parseRange('bytes=0-1', 0)).toBeUndefined()
    expect(parseRange(`bytes=${Array(17).fill('0-1').join(',')}`, 31)).toBeUndefined()
    expect(() => parseRange('bytes=5-1', 31)).toThrow(GatewayRequestError)
    expect(() => parseRange('bytes=a-b', 31)).toThrow(GatewayRequestError)
    expect(() => parseRange('bytes=31-', 31)).toThrow(RangeNotSatisfiableError)
    expect(() => parseRange('bytes=-0', 31)).toThrow(RangeNotSatisfiableError)
  })
})

describe('CAR parameters', () => {
  it('defaults to dag-scope=all, dups=n; entity-bytes implies entity', () => {
    expect(parseCarParams({}, {})).toEqual({
      scope: 'all',
      entityBytes: undefined,
      duplicates: false,
    })
    expect(parseCarParams({ 'entity-bytes': '-5:*' }, { dups: 'y' })).toEqual({
      scope: 'entity',
      entityBytes: { from: -5, to: '*' },
      duplicates: true,
    })
  })

  it('resolves entity-bytes against the file size like the spec examples', () => {
    const size = 1026
    expect(entityRange({ from: 512, to: -256 }, size)).toEqual({ start: 512, end: 771 })
    expect(entityRange({ from: -9999, to: -3 }, size)).toEqual({ start: 0, end: 1024 })
    expect(entityRange({ from: 0, to: 0 }, size)).toEqual({ start: 0, end: 1 })
    expect(entityRange({ from: 2000, to: '*' }, size)).toBeUndefined()
  })

  it.each([
    [{ 'dag-scope': 'subtree' }, {}],
    [{ 'entity-bytes': '1:x' }, {}],
    [{ 'entity-bytes': '9:3' }, {}],
    [{ 'dag-scope': 'block', 'entity-bytes': '0:1' }, {}],
    [{}, { version: '2' }],
    [{}, { order: 'bfs' }],
    [{}, { dups: 'maybe' }],
  ])('refuses %j %j with 400', (query, requested) => {
    expect(() => parseCarParams(query, requested)).toThrow(GatewayRequestError)
  })
})

describe('ETags and dispositions', () => {
  it('matches If-None-Match lists, weak tags and *', () => {
    expect(ifNoneMatchHits('"a", W/"b"', ['"b"'])).toBe(true)
    expect(ifNoneMatchHits('*', ['"x"'])).toBe(true)
    expect(ifNoneMatchHits('"a"', ['"b"'])).toBe(false)
    expect(ifNoneMatchHits(undefined, ['"b"'])).toBe(false)
    expect(ifRangeAllows('"b"', '"b"')).toBe(true)
    expect(ifRangeAllows('W/"b"', 'W/"b"')).toBe(false)
  })

  it('gives an ASCII fallback and the exact UTF-8 name', () => {
    expect(contentDisposition('attachment', 'testтест.tar')).toBe(
      `attachment; filename="test____.tar"; filename*=UTF-8''test%D1%82%D0%B5%D1%81%D1%82.tar`,
    )
    expect(contentDisposition('inline', 'a"b\\c.txt')).toBe(
      `inline; filename="a_b_c.txt"; filename*=UTF-8''a%22b%5Cc.txt`,
    )
  })
})
