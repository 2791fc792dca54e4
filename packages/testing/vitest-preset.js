// Shared vitest settings for every workspace package (plain JS so that vitest can load it from a
// config file without building anything first).
//
// Two projects per package:
//   unit         src/**/*.test.ts   fast, in-memory fakes of our own interfaces, cached by turbo
//   integration  test/**/*.test.ts  real Postgres, NATS JetStream and the stand-in Kubo, uncached
//
// Workspace packages are resolved to their TypeScript sources through the `@pinion/source` export
// condition, so tests never depend on a previous build.
import { defaultServerConditions } from 'vite'

const conditions = ['@pinion/source', ...defaultServerConditions]

/**
 * @param {{ integration?: { testTimeout?: number, hookTimeout?: number, maxWorkers?: number, setupFiles?: string[] }, unit?: { setupFiles?: string[] } }} [options]
 */
export function definePinionVitestConfig(options = {}) {
  const integration = options.integration ?? {}
  // deploy/local/test.sh sets PINION_TEST_REPORT=1 and sums every package's .reports/*.json into one
  // closing line; turbo caches the unit report with the unit run.
  const report = process.env.PINION_TEST_REPORT === '1'
  const kind = process.env.PINION_TEST_KIND ?? 'all'
  return {
    resolve: { conditions },
    ssr: { resolve: { conditions, externalConditions: ['@pinion/source'] } },
    test: {
      reporters: report ? ['default', 'json'] : ['default'],
      outputFile: report ? { json: `.reports/${kind}.json` } : undefined,
      projects: [
        {
          extends: true,
          test: {
            name: 'unit',
            include: ['src/**/*.test.ts'],
            environment: 'node',
            setupFiles: options.unit?.setupFiles ?? [],
          },
        },
        {
          extends: true,
          test: {
            name: 'integration',
            include: ['test/**/*.test.ts'],
            environment: 'node',
            testTimeout: integration.testTimeout ?? 60_000,
            hookTimeout: integration.hookTimeout ?? 120_000,
            maxWorkers: integration.maxWorkers ?? 2,
            setupFiles: integration.setupFiles ?? [],
          },
        },
      ],
    },
  }
}
