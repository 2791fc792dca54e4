/**
 * Table-driven malformed requests: each must get the right 4xx with a Pinning API error body and
 * change nothing (pin rows, reference counts and the live pin are compared before and after).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  call,
  cidFor,
  startPinningApi,
  type RunningPinningApi,
  type TestUser,
} from './helpers/service.js'

let api: RunningPinningApi
let user: TestUser
let existing: { requestid: string; cid: string }

const validCid = 'bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e'

interface Case {
  readonly title: string
  readonly method?: 'GET' | 'POST' | 'DELETE'
  /** After /pinning/api/v1; `{existing}` becomes the requestid of a live pin. */
  readonly path: string
  /** A raw body, or a value sent as JSON. */
  readonly body?: { raw: string } | { json: unknown }
  readonly headers?: Record<string, string>
  readonly status: number
  readonly reason: string
}

const badCids: unknown[] = [
  '',
  'Qm',
  'QmInvalid',
  'QmPZ9gcCEpqKTo6aq61g2nXGUhM4iCL3ewB6LDXZCtioE',
  'bafy',
  'bafyINVALIDcid',
  `${validCid}x`,
  `ipfs://${validCid}`,
  `/ipfs/${validCid}`,
  ` ${validCid}`,
  `${validCid}\n`,
  'mAXASIHlMnPsQq6kkYtSPk7RTeqQ6FsyahGRg1j6ZF8oi1yTM',
  'b'.padEnd(600, 'a'),
  "'; DROP TABLE pins; --",
  `${validCid}' OR '1'='1`,
  '{"$ne":null}',
  'bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5é',
  123,
  null,
  true,
  [validCid],
  { '/': validCid },
]

const badPins: [string, unknown][] = [
  ['no cid', { name: 'x' }],
  ['name of 256 characters', { cid: validCid, name: 'n'.repeat(256) }],
  ['name of 10 000 characters', { cid: validCid, name: 'n'.repeat(10_000) }],
  ['name as a number', { cid: validCid, name: 5 }],
  ['name as an object', { cid: validCid, name: { first: 'x' } }],
  ['name as a list', { cid: validCid, name: ['x'] }],
  ['name as a boolean', { cid: validCid, name: false }],
  ['name with U+0000', { cid: validCid, name: 'a\u0000b' }],
  ['meta value as a number', { cid: validCid, meta: { a: 1 } }],
  ['meta value null', { cid: validCid, meta: { a: null } }],
  ['meta value as an object', { cid: validCid, meta: { a: { b: 'c' } } }],
  ['meta value as a list', { cid: validCid, meta: { a: ['x'] } }],
  ['meta value as a boolean', { cid: validCid, meta: { a: true } }],
  ['meta as a string', { cid: validCid, meta: 'a=b' }],
  ['meta as a list', { cid: validCid, meta: ['a'] }],
  ['meta with 1001 keys', { cid: validCid, meta: manyKeys(1001) }],
  ['meta with an empty key', { cid: validCid, meta: { '': 'x' } }],
  ['meta with a 256-character key', { cid: validCid, meta: { ['k'.repeat(256)]: 'x' } }],
  ['meta value of 5000 characters', { cid: validCid, meta: { a: 'v'.repeat(5000) } }],
  ['meta value with U+0000', { cid: validCid, meta: { a: '\u0000' } }],
  ['meta __proto__ object', JSON.parse(`{"cid":"${validCid}","meta":{"__proto__":{"x":"y"}}}`)],
  ['origins as a string', { cid: validCid, origins: '/ip4/1.2.3.4/tcp/4001' }],
  ['origins as a number', { cid: validCid, origins: 4001 }],
  ['origins as an object', { cid: validCid, origins: { a: 'b' } }],
  ['a list instead of a Pin', [{ cid: validCid }]],
  ['a JSON injection in meta', { cid: validCid, meta: { a: { $where: 'sleep(1000)' } } }],
]

const badJson = [
  '{',
  '{"cid":',
  'not json',
  "{'cid':'x'}",
  `{"cid":"${validCid}"}}`,
  'null',
  '123',
  '"a string"',
  '{"cid": NaN}',
  `{"cid":"${validCid}",}`,
  '\u0000',
  '[]',
]

const badQueries: [string, string][] = [
  ['before as a word', 'before=yesterday'],
  ['before as a date only', 'before=2020-07-27'],
  ['before as epoch seconds', 'before=1595871148'],
  ['before on 31 February', 'before=2020-02-31T00:00:00Z'],
  ['before at hour 25', 'before=2020-07-27T25:00:00Z'],
  ['before without a zone', 'before=2020-07-27T17:32:28'],
  ['before with 10 fraction digits', 'before=2020-07-27T17:32:28.1234567890Z'],
  ['before empty', 'before='],
  ['before given twice', 'before=2020-07-27T17:32:28Z&before=2020-07-27T17:32:29Z'],
  ['before with SQL', `before=${encodeURIComponent("2020-07-27T17:32:28Z' OR '1'='1")}`],
  ['after as a word', 'after=tomorrow'],
  ['after in month 13', 'after=2020-13-01T00:00:00Z'],
  ['after with a bad offset', 'after=2020-07-27T17:32:28+2:00'],
  ['limit 0', 'limit=0'],
  ['limit 1001', 'limit=1001'],
  ['limit -1', 'limit=-1'],
  ['limit 1.5', 'limit=1.5'],
  ['limit as a word', 'limit=ten'],
  ['limit empty', 'limit='],
  ['limit 1e3', 'limit=1e3'],
  ['limit huge', 'limit=99999999999'],
  ['limit twice', 'limit=1&limit=2'],
  ['status unknown', 'status=done'],
  ['status upper case', 'status=PINNED'],
  ['status with an unknown one', 'status=pinned,unknown'],
  ['status empty', 'status='],
  ['status with SQL', `status=${encodeURIComponent("pinned') OR 1=1 --")}`],
  ['match unknown', 'match=fuzzy&name=x'],
  ['match upper case', 'match=EXACT&name=x'],
  ['cid invalid', 'cid=nope'],
  ['cid empty', 'cid='],
  ['cid with SQL', `cid=${encodeURIComponent("x' OR '1'='1")}`],
  ['cid eleven', `cid=${Array.from({ length: 11 }, (_, i) => `cid${i}`).join(',')}`],
  ['name of 256 characters', `name=${'n'.repeat(256)}`],
  ['meta not JSON', 'meta=%7Bbad'],
  ['meta a list', `meta=${encodeURIComponent('["a"]')}`],
  ['meta a number value', `meta=${encodeURIComponent('{"a":1}')}`],
  ['meta a nested value', `meta=${encodeURIComponent('{"a":{"$ne":"b"}}')}`],
  ['meta a string', `meta=${encodeURIComponent('"a"')}`],
  ['meta null', 'meta=null'],
  ['meta __proto__ object', `meta=${encodeURIComponent('{"__proto__":{"a":"b"}}')}`],
  ['meta[] with an object', 'meta%5Ba%5D%5Bb%5D=c&meta=%7B%22a%22%3A%7B%7D%7D'],
]

function manyKeys(count: number): Record<string, string> {
  return Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${i}`, 'v']))
}

function cases(): Case[] {
  const list: Case[] = []
  const bad = (title: string, rest: Omit<Case, 'title' | 'status' | 'reason'>): void => {
    list.push({ title, status: 400, reason: 'BAD_REQUEST', ...rest })
  }
  for (const cid of badCids) {
    bad(`POST /pins cid ${JSON.stringify(cid).slice(0, 40)}`, {
      method: 'POST',
      path: '/pins',
      body: { json: { cid } },
    })
    bad(`replace with cid ${JSON.stringify(cid).slice(0, 40)}`, {
      method: 'POST',
      path: '/pins/{existing}',
      body: { json: { cid } },
    })
  }
  for (const [title, body] of badPins) {
    bad(`POST /pins ${title}`, { method: 'POST', path: '/pins', body: { json: body } })
  }
  for (const raw of badJson) {
    bad(`POST /pins body ${JSON.stringify(raw)}`, { method: 'POST', path: '/pins', body: { raw } })
  }
  bad('POST /pins without a body', { method: 'POST', path: '/pins' })
  bad('replace with bad JSON', { method: 'POST', path: '/pins/{existing}', body: { raw: '{' } })
  for (const [title, query] of badQueries) bad(`GET /pins ${title}`, { path: `/pins?${query}` })
  list.push({
    title: 'POST /pins body of 2 MiB',
    method: 'POST',
    path: '/pins',
    body: { json: { cid: validCid, name: 'x', meta: { a: 'v'.repeat(2 * 1024 * 1024) } } },
    status: 413,
    reason: 'PAYLOAD_TOO_LARGE',
  })
  for (const id of ["1' OR '1'='1", 'not-a-uuid', '00000000-0000-0000-0000-000000000000', '%00']) {
    for (const method of ['GET', 'DELETE', 'POST'] as const) {
      list.push({
        title: `${method} /pins/${id}`,
        method,
        path: `/pins/${encodeURIComponent(id)}`,
        ...(method === 'POST' ? { body: { json: { cid: validCid } } } : {}),
        status: 404,
        reason: 'NOT_FOUND',
      })
    }
  }
  for (const authorization of [
    '',
    'Bearer',
    'Bearer ',
    'Bearer x.y.z',
    'Token abc',
    "Bearer ' OR 1=1",
  ]) {
    list.push({
      title: `POST /pins with authorization ${JSON.stringify(authorization)}`,
      method: 'POST',
      path: '/pins',
      body: { json: { cid: validCid } },
      headers: { authorization },
      status: 401,
      reason: 'UNAUTHORIZED',
    })
  }
  return list
}

const table = cases()

async function snapshot() {
  const prisma = api.deps.database.prisma
  return {
    pins: await prisma.pin.count(),
    live: await prisma.pin.count({ where: { deletedAt: null } }),
    references: await prisma.cidReference.findMany({ orderBy: { cidKey: 'asc' } }),
    existing: await prisma.pin.findUnique({ where: { id: existing.requestid } }),
  }
}

let before: Awaited<ReturnType<typeof snapshot>>

beforeAll(async () => {
  api = await startPinningApi()
  user = await api.newUser()
  const cid = await cidFor('existing')
  const created = await call(`${api.endpoint}/pins`, {
    method: 'POST',
    headers: { ...user.auth, 'content-type': 'application/json' },
    body: JSON.stringify({ cid }),
  })
  existing = { requestid: created.body.requestid, cid }
  before = await snapshot()
})
afterAll(() => api.stop())

describe('malformed requests', () => {
  it('has at least 100 of them', () => {
    expect(table.length).toBeGreaterThanOrEqual(100)
  })

  it.each(table.map((entry) => [entry.title, entry] as const))('%s', async (_title, entry) => {
    const headers: Record<string, string> = entry.headers ?? { ...user.auth }
    let body: string | undefined
    if (entry.body !== undefined) {
      body = 'raw' in entry.body ? entry.body.raw : JSON.stringify(entry.body.json)
      headers['content-type'] = 'application/json'
    }
    const answer = await call(
      `${api.endpoint}${entry.path.replace('{existing}', existing.requestid)}`,
      { method: entry.method ?? 'GET', headers, body },
    )
    expect(answer.status).toBe(entry.status)
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/)
    expect(Object.keys(answer.body)).toEqual(['error'])
    expect(answer.body.error.reason).toBe(entry.reason)
    expect(typeof answer.body.error.details).toBe('string')
    expect(answer.body.error.details.length).toBeGreaterThan(0)
  })

  it('changed nothing: same rows, same references, the live pin untouched', async () => {
    expect(await snapshot()).toEqual(before)
    const read = await call(`${api.endpoint}/pins/${existing.requestid}`, { headers: user.auth })
    expect(read.status).toBe(200)
    expect(read.body.pin.cid).toBe(existing.cid)
  })
})
