import { createTestEnvironment, type TestEnvironment } from '@pinion/platform/testing'
import { createLogger, startAll, stopAll } from '@pinion/service-kit'
import { createServer, type RequestListener, type Server } from 'node:http'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildDeps, createApp, parseAllInOneConfig, type AllInOneDeps } from '../src/index.js'

// One dashboard session serves every web route of the process: the services share one session
// store through the platform, so the all-in-one process needs no wiring of its own.

let environment: TestEnvironment
let deps: AllInOneDeps
let app: RequestListener
let server: Server | undefined
const logger = createLogger({ service: 'test', level: 'silent' })

beforeAll(async () => {
  environment = await createTestEnvironment()
  deps = await buildDeps(parseAllInOneConfig(environment.env), logger)
  await startAll(deps.startables, logger)
  app = createApp(deps)
})

afterAll(async () => {
  server?.close()
  if (deps !== undefined) await stopAll(deps.startables, logger)
  await environment.cleanup()
})

describe('a browser session in the all-in-one process', () => {
  it('signs up, uploads through /upload/web/, reads through /gateway/web/, uses /prover/web/v1/', async () => {
    // One listening server for the whole test: the agent's cookies follow one host:port.
    server = createServer(app).listen(0, '127.0.0.1')
    const browser = request.agent(server)
    const csrf = async () =>
      ((await browser.get('/api/account/session')).body as { csrfToken: string }).csrfToken
    // The agent attaches cookies when a request is created: read the token first.
    const anonymous = await csrf()
    const signUp = await browser
      .post('/api/account/signup')
      .set('X-CSRF-Token', anonymous)
      .send({ email: 'browser@example.org', password: 'a long enough password' })
    expect(signUp.status).toBe(201)

    const token = await csrf()
    const uploaded = await browser
      .post('/upload/web/?name=hello.txt')
      .set('X-CSRF-Token', token)
      .set('Content-Type', 'application/octet-stream')
      .send(Buffer.from('hello from the browser'))
    expect(uploaded.status).toBe(202)
    const cid = (uploaded.body as { pin: { cid: string } }).pin.cid

    const read = await browser
      .get(`/gateway/web/ipfs/${cid}`)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () => done(null, Buffer.concat(chunks)))
      })
    expect(read.status).toBe(200)
    expect((read.body as Buffer).toString()).toBe('hello from the browser')
    expect((await browser.get('/prover/web/v1/challenge-keys')).body).toEqual({ keys: [] })

    const signedOut = await browser
      .post('/api/account/signout-everywhere')
      .set('X-CSRF-Token', token)
    expect(signedOut.status).toBe(204)
    expect((await browser.get(`/gateway/web/ipfs/${cid}`)).status).toBe(401)
  })
})
