import { createServer, type RequestListener, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import * as gateway from '@pinion/gateway'
import { createServiceContext } from '@pinion/platform'
import type { TestEnvironment } from '@pinion/platform/testing'
import { createLogger, parseConfig, startAll, stopAll, type ServiceDeps } from '@pinion/service-kit'
import * as prover from '@pinion/prover'
import * as upload from '@pinion/upload'
import { testSessionSecret } from './dashboard.js'

/** Another Pinion service, standalone (its own platform), on the dashboard's environment. */
export interface RunningService {
  readonly url: string
  close(): Promise<void>
}

async function run(
  name: string,
  build: (
    context: ReturnType<typeof createServiceContext>,
  ) => Promise<{ deps: ServiceDeps; app: RequestListener }>,
): Promise<RunningService> {
  const logger = createLogger({ service: `${name}-test`, level: 'silent' })
  const { deps, app } = await build(createServiceContext(name, logger))
  await startAll(deps.startables, logger)
  const server: Server = await new Promise((resolve) => {
    const listening = createServer(app).listen(0, '127.0.0.1', () => resolve(listening))
  })
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections()
      server.close()
      await stopAll(deps.startables, logger)
    },
  }
}

const envOf = (environment: TestEnvironment) => ({
  ...environment.env,
  SESSION_SECRET: testSessionSecret,
})

/** The upload service as deployed alone, sharing the dashboard's database, NATS and secret. */
export function startUpload(environment: TestEnvironment): Promise<RunningService> {
  return run('upload', async (context) => {
    const deps = await upload.buildDepsWith(
      parseConfig(upload.ConfigSchema, envOf(environment)),
      context,
    )
    return { deps, app: upload.createApp(deps) }
  })
}

/** The gateway as deployed alone (its web routes read the dashboard's sessions). */
export function startGateway(environment: TestEnvironment): Promise<RunningService> {
  return run('gateway', async (context) => {
    const deps = await gateway.buildDepsWith(
      parseConfig(gateway.ConfigSchema, envOf(environment)),
      context,
    )
    return { deps, app: gateway.createApp(deps) }
  })
}

/** The prover as deployed alone (its `/prover/web/v1/…` routes read the dashboard's sessions). */
export function startProver(environment: TestEnvironment): Promise<RunningService> {
  return run('prover', async (context) => {
    const deps = await prover.buildDepsWith(
      parseConfig(prover.ConfigSchema, envOf(environment)),
      context,
    )
    return { deps, app: prover.createApp(deps) }
  })
}
