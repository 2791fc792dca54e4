import { once } from 'node:events'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createTestEnvironment, type TestEnvironment } from '@pinion/platform/testing'
import { createLogger, parseConfig, startAll, stopAll } from '@pinion/service-kit'
import { buildDeps, ConfigSchema, createApp, type UploadDeps } from '@pinion/upload'
import { createUploadUser } from '@pinion/upload/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../src/index.js'

// `pinion upload` against a real upload service (real Postgres, NATS and local blockstore).
let environment: TestEnvironment
let deps: UploadDeps
let server: Server
let work: string
let env: Record<string, string>
const logger = createLogger({ service: 'cli-upload-test', level: 'silent' })

beforeAll(async () => {
  environment = await createTestEnvironment()
  deps = await buildDeps(parseConfig(ConfigSchema, environment.env), logger)
  await startAll(deps.startables, logger)
  server = createApp(deps).listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { token } = await createUploadUser(deps, { email: 'cli@example.org' })
  env = {
    PINION_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    PINION_TOKEN: token,
  }
  work = await mkdtemp(join(tmpdir(), 'pinion-cli-upload-'))
})
afterAll(async () => {
  server.closeAllConnections()
  server.close()
  await stopAll(deps.startables, logger)
  await environment.cleanup()
  await rm(work, { recursive: true, force: true })
})

async function pinion(argv: string[], extra: Record<string, string> = {}) {
  const out: string[] = []
  const err: string[] = []
  const code = await runCli(argv, {
    env: { ...env, ...extra },
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    logger,
  })
  return { code, out, err: err.join('\n') }
}

describe('pinion upload', () => {
  it('uploads a directory tree and prints the CID ipfs add -r --cid-version=1 gives', async () => {
    // gateway-conformance path_gateway_tar/fixtures.car (`ipfs add -Qr --cid-version 1 rootDir`).
    const root = join(work, 'rootDir')
    const files: [string, string][] = [
      ['ą/ę/file-źł.txt', 'I am a txt file on path with utf8\n'],
      ['api/file.txt', 'I am a txt file in confusing /api dir\n'],
      ['ipfs/file.txt', 'I am a txt file in confusing /ipfs dir\n'],
      ['ipns/file.txt', 'I am a txt file in confusing /ipns dir\n'],
    ]
    for (const [path, content] of files) {
      await mkdir(join(root, path, '..'), { recursive: true })
      await writeFile(join(root, path), content)
    }
    // Hidden files are left out, as `ipfs add -r` does without --hidden.
    await writeFile(join(root, '.DS_Store'), 'junk')
    const result = await pinion(['upload', root, '--name', 'tree'])
    expect(result).toMatchObject({
      code: 0,
      out: ['bafybeig6ka5mlwkl4subqhaiatalkcleo4jgnr3hqwvpmsqfca27cijp3i'],
    })
    expect(result.err).toContain('skipped rootDir/.DS_Store (hidden)')
    const pin = await deps.database.prisma.pin.findFirstOrThrow({ where: { name: 'tree' } })
    expect(pin.cid).toBe('bafybeig6ka5mlwkl4subqhaiatalkcleo4jgnr3hqwvpmsqfca27cijp3i')
  })

  it('uploads one file as the file itself, and several as a wrapping directory', async () => {
    await writeFile(join(work, 'hello.txt'), 'hello world')
    await writeFile(join(work, 'other.txt'), 'other')
    const single = await pinion(['upload', join(work, 'hello.txt')])
    expect(single.out).toEqual(['bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e'])
    const several = await pinion(['upload', join(work, 'hello.txt'), join(work, 'other.txt')])
    expect(several.code).toBe(0)
    expect(several.out[0]).toMatch(/^bafybei/)
  })

  it('uploads a CAR with --car and prints its root', async () => {
    // A CAR of the "hello world" raw block, built by hand: header { roots, version 1 } + section.
    const { CID } = await import('multiformats/cid')
    const cid = CID.parse('bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e')
    const { encode } = await import('@ipld/dag-cbor')
    const header = encode({ roots: [cid], version: 1 })
    const bytes = Buffer.from('hello world')
    const car = Buffer.concat([
      Buffer.from([header.length]),
      header,
      Buffer.from([cid.bytes.length + bytes.length]),
      cid.bytes,
      bytes,
    ])
    await writeFile(join(work, 'hello.car'), car)
    const result = await pinion(['upload', '--car', join(work, 'hello.car')])
    expect(result).toMatchObject({ code: 0, out: [cid.toString()] })
  })

  it('reports the server error and exits 1; needs a URL and a token', async () => {
    const denied = await pinion(['upload', join(work, 'hello.txt')], { PINION_TOKEN: 'a.b.c' })
    expect(denied.code).toBe(1)
    expect(denied.err).toContain('401 UNAUTHORIZED')
    const noUrl = await pinion(['upload', join(work, 'hello.txt')], { PINION_URL: '' })
    expect(noUrl.code).toBe(2)
    expect(noUrl.err).toContain('PINION_URL')
  })
})
