import { once } from 'node:events'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { PassThrough } from 'node:stream'
import type { Scope } from '@pinion/auth'
import { createApiToken } from '@pinion/db'
import { createTestEnvironment, type TestEnvironment } from '@pinion/platform/testing'
import { createLogger, parseConfig, startAll, stopAll } from '@pinion/service-kit'
import { buildDeps, ConfigSchema, createApp, type UploadDeps } from '../../src/index.js'
import { createUploadUser } from '../../src/testing.js'

/** One upload service on a real port, on a fresh database, NATS namespace and blockstore. */
export interface RunningUpload {
  readonly url: string
  readonly deps: UploadDeps
  readonly environment: TestEnvironment
  readonly user: { id: string }
  /** An API token of `user` with these scopes. */
  token(scopes?: Scope[]): Promise<string>
  /** Log lines written so far, parsed. */
  logs(): { level: number; msg: string }[]
  stop(): Promise<void>
}

/** Starts the standalone upload app (createApp) with `env` on top of the test environment. */
export async function startUpload(env: Record<string, string> = {}): Promise<RunningUpload> {
  const environment = await createTestEnvironment({ LOG_LEVEL: 'info', ...env })
  const lines: string[] = []
  const destination = new PassThrough()
  destination.on('data', (chunk: Buffer) => lines.push(...chunk.toString().split('\n')))
  const logger = createLogger({ service: 'upload-test', level: 'info', destination })
  const deps = await buildDeps(parseConfig(ConfigSchema, environment.env), logger)
  await startAll(deps.startables, logger)
  const server: Server = createApp(deps).listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  const first = await createUploadUser(deps)
  const user = { id: first.userId }
  return {
    url: `http://127.0.0.1:${port}`,
    deps,
    environment,
    user,
    async token(scopes: Scope[] = ['upload']) {
      if (scopes.length === 1 && scopes[0] === 'upload') return first.token
      const row = await createApiToken(deps.database.prisma, {
        userId: user.id,
        name: 'test',
        scopes,
      })
      if (deps.auth.issuer === undefined) throw new Error('the test environment has no signing key')
      return deps.auth.issuer.issueApiToken({ userId: user.id, tokenId: row.id, scopes })
    },
    logs: () =>
      lines
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as { level: number; msg: string }),
    async stop() {
      server.closeAllConnections()
      server.close()
      await stopAll(deps.startables, logger)
      await environment.cleanup()
    },
  }
}
