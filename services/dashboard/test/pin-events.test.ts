import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestDashboard, type TestDashboard } from './helpers/dashboard.js'

let dashboard: TestDashboard

beforeAll(async () => {
  dashboard = await startTestDashboard()
})
afterAll(() => dashboard.close())

/** Reads SSE frames from a streaming response until `count` `status` events arrived. */
async function readEvents(response: Response, count: number): Promise<unknown[]> {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader()
  const decoder = new TextDecoder()
  const events: unknown[] = []
  let buffer = ''
  while (events.length < count) {
    const { value, done } = await reader.read()
    if (done) break
    buffer += decoder.decode(value, { stream: true })
    let end: number
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const frame = buffer.slice(0, end)
      buffer = buffer.slice(end + 2)
      const data = /^data: (.*)$/m.exec(frame)?.[1]
      if (/^event: status$/m.test(frame) && data !== undefined) events.push(JSON.parse(data))
    }
  }
  await reader.cancel()
  return events
}

describe('live pin status', () => {
  it("streams the user's pin status changes and no one else's", async () => {
    const ada = dashboard.browser()
    await ada.signUp('live-ada@example.org')
    const adaId = (await ada.session()).user?.id as string
    const bob = dashboard.browser()
    await bob.signUp('live-bob@example.org')
    const bobId = (await bob.session()).user?.id as string

    const anonymous = await fetch(`${dashboard.url}/api/account/pins/events`)
    expect(anonymous.status).toBe(401)

    const stream = await fetch(`${dashboard.url}/api/account/pins/events`, {
      headers: { cookie: ada.cookieHeader() },
    })
    expect(stream.status).toBe(200)
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/)
    const reading = readEvents(stream, 2)

    const publish = (userId: string, requestId: string, status: 'pinning' | 'pinned') =>
      dashboard.deps.messaging.publish(
        'pinion.pins.status',
        {
          requestId,
          userId,
          status,
          cid: 'bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy',
          ...(status === 'pinned' ? { dagSize: 11 } : {}),
          at: new Date().toISOString(),
        },
        { msgId: `test-${requestId}-${status}` },
      )
    await publish(bobId, 'bob-pin', 'pinning')
    await publish(adaId, 'ada-pin', 'pinning')
    await publish(bobId, 'bob-pin', 'pinned')
    await publish(adaId, 'ada-pin', 'pinned')

    expect(await reading).toEqual([
      {
        requestid: 'ada-pin',
        status: 'pinning',
        cid: 'bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy',
      },
      {
        requestid: 'ada-pin',
        status: 'pinned',
        cid: 'bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy',
        dagSize: 11,
      },
    ])
    // The closed stream unsubscribes.
    const deadline = Date.now() + 5_000
    while (dashboard.deps.pinEvents.size > 0 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50))
    expect(dashboard.deps.pinEvents.size).toBe(0)
  })
})
