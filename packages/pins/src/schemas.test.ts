import { isAppError } from '@pinion/service-kit'
import { describe, expect, it } from 'vitest'
import { parseListQuery, parsePinRequest } from './schemas.js'

const cid = 'bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e'

function badRequest(run: () => unknown): string {
  try {
    run()
  } catch (error) {
    if (isAppError(error) && error.reason === 'BAD_REQUEST') return error.details ?? ''
    throw error
  }
  throw new Error('expected BAD_REQUEST')
}

describe('parsePinRequest', () => {
  it('reads a full Pin and computes the key of a v0 CID', () => {
    expect(
      parsePinRequest({
        cid: 'QmPZ9gcCEpqKTo6aq61g2nXGUhM4iCL3ewB6LDXZCtioEB',
        name: 'readme',
        meta: { a: 'b' },
        unknown: 'ignored',
      }),
    ).toEqual({
      cid: 'QmPZ9gcCEpqKTo6aq61g2nXGUhM4iCL3ewB6LDXZCtioEB',
      cidKey: 'bafybeiasb5vpmaounyilfuxbd3lryvosl4yefqrfahsb2esg46q6tu6y5q',
      name: 'readme',
      meta: { a: 'b' },
      origins: [],
    })
  })

  it('cleans origins instead of refusing them', () => {
    const p2p =
      '/ip4/1.2.3.4/udp/4001/quic-v1/p2p/12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp'
    const many = Array.from({ length: 30 }, (_, i) => `/ip4/10.0.0.${i}/tcp/4001`)
    const { origins } = parsePinRequest({
      cid,
      origins: [p2p, p2p, 'garbage', 42, 'https://gw.example.org', ...many],
    })
    expect(origins[0]).toBe(p2p)
    expect(origins[1]).toBe('https://gw.example.org')
    expect(origins).toHaveLength(20)
  })

  it.each([
    [{}, 'cid'],
    [{ cid: 'notacid' }, 'not a valid CID'],
    [{ cid: 42 }, 'cid'],
    [{ cid, name: 'x'.repeat(256) }, 'name'],
    [{ cid, name: 5 }, 'name'],
    [{ cid, meta: { a: 1 } }, 'meta'],
    [{ cid, meta: ['a'] }, 'meta'],
    [{ cid, origins: 'x' }, 'origins'],
    [{ cid, name: 'a\u0000b' }, 'U+0000'],
  ])('refuses %j', (body, message) => {
    expect(badRequest(() => parsePinRequest(body))).toContain(message)
  })

  it('refuses a body that is not an object', () => {
    expect(badRequest(() => parsePinRequest([cid]))).toContain('JSON object')
    expect(badRequest(() => parsePinRequest(null))).toContain('JSON object')
  })
})

describe('parseListQuery', () => {
  const parse = (search: string) => parseListQuery(new URLSearchParams(search))

  it('defaults to pinned, exact, 10', () => {
    expect(parse('')).toEqual({ statuses: ['pinned'], match: 'exact', limit: 10 })
  })

  it('reads every filter', () => {
    const filters = parse(
      `cid=${cid},QmPZ9gcCEpqKTo6aq61g2nXGUhM4iCL3ewB6LDXZCtioEB&name=x&match=ipartial` +
        '&status=queued&status=failed&before=2020-07-27T17:32:28.276Z&after=2020-07-27T17:32:28Z' +
        '&limit=1000&meta=%7B%22a%22%3A%22b%22%7D&meta[c]=d',
    )
    expect(filters).toMatchObject({
      cidKeys: [cid, 'bafybeiasb5vpmaounyilfuxbd3lryvosl4yefqrfahsb2esg46q6tu6y5q'],
      name: 'x',
      match: 'ipartial',
      statuses: ['queued', 'failed'],
      limit: 1000,
      meta: { a: 'b', c: 'd' },
    })
    expect(filters.before?.text).toBe('2020-07-27T17:32:28.276000Z')
  })

  it.each([
    ['limit=0', 'limit'],
    ['limit=1001', 'limit'],
    ['limit=1.5', 'limit'],
    ['limit=1&limit=2', 'once'],
    ['status=done', 'status'],
    ['match=fuzzy', 'match'],
    ['before=yesterday', 'before'],
    ['after=2020-13-01T00:00:00Z', 'after'],
    ['cid=nope', 'cid'],
    ['cid=', 'cid'],
    [
      `cid=${Array.from({ length: 11 }, (_, i) => `${cid.slice(0, -1)}${'abcdefghijk'[i]}`).join(',')}`,
      'cid',
    ],
    ['meta=%7Bbad', 'meta'],
    ['meta=%5B%5D', 'meta'],
    ['meta=%7B%22a%22%3A1%7D', 'meta'],
    [`name=${'x'.repeat(256)}`, 'name'],
  ])('refuses %s', (search, message) => {
    expect(badRequest(() => parse(search))).toContain(message)
  })
})
