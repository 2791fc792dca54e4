import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { parseConfig } from '@pinion/service-kit'
import { beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { parseEnvExample, readEnvExample, schemaVariables } from './env-example.js'
import { repoRoot } from './paths.js'

interface ServiceModule {
  ConfigSchema?: z.ZodType
  services?: readonly { ConfigSchema: z.ZodType }[]
}

/** Each service's schemas: its own, or for all-in-one every mounted service's. */
const modules: Record<string, () => Promise<ServiceModule>> = {
  'pinning-api': () => import('@pinion/pinning-api'),
  upload: () => import('@pinion/upload'),
  gateway: () => import('@pinion/gateway'),
  'github-bot': () => import('@pinion/github-bot'),
  prover: () => import('@pinion/prover'),
  worker: () => import('@pinion/worker'),
  dashboard: () => import('@pinion/dashboard'),
  'all-in-one': () => import('@pinion/all-in-one'),
}

const schemas = new Map<string, z.ZodType[]>()

// Importing a service transforms its whole source graph: seconds on a busy machine, so once here.
beforeAll(async () => {
  for (const [service, load] of Object.entries(modules)) {
    const module = await load()
    if (module.ConfigSchema) schemas.set(service, [module.ConfigSchema])
    else if (module.services)
      schemas.set(
        service,
        module.services.map((mounted) => mounted.ConfigSchema),
      )
    else throw new Error(`@pinion/${service} exports no ConfigSchema`)
  }
}, 120_000)

function schemasOf(service: string): z.ZodType[] {
  const found = schemas.get(service)
  if (!found) throw new Error(`services/${service} is not listed in env-example.test.ts`)
  return found
}

const serviceDirs = (await readdir(join(repoRoot, 'services'), { withFileTypes: true }))
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)

describe('parseEnvExample', () => {
  it('tells set variables from documented ones and skips prose', () => {
    const example = parseEnvExample(
      [
        '# The port.',
        '# PORT=8080',
        'DATABASE_URL=postgresql://x/y',
        '#NATS_NAMESPACE=',
        '# a = b',
      ].join('\n'),
    )
    expect([...example.names].sort()).toEqual(['DATABASE_URL', 'NATS_NAMESPACE', 'PORT'])
    expect([...example.set]).toEqual([['DATABASE_URL', 'postgresql://x/y']])
  })
})

describe('.env.example', () => {
  it('exists for every service, and every service is checked below', () => {
    expect(serviceDirs.sort()).toEqual(Object.keys(modules).sort())
  })

  it.each(Object.keys(modules))(
    'of %s lists exactly the variables its ConfigSchema reads',
    async (service) => {
      const example = await readEnvExample(join(repoRoot, 'services', service, '.env.example'))
      const read = new Set(schemasOf(service).flatMap(schemaVariables))
      const missing = [...read].filter((name) => !example.names.has(name)).sort()
      const unknown = [...example.names].filter((name) => !read.has(name)).sort()
      expect({ missing, unknown }).toEqual({ missing: [], unknown: [] })
    },
  )

  it.each(Object.keys(modules))('of %s is a valid configuration as it stands', async (service) => {
    const example = await readEnvExample(join(repoRoot, 'services', service, '.env.example'))
    for (const schema of schemasOf(service))
      expect(() => parseConfig(schema, Object.fromEntries(example.set))).not.toThrow()
  })

  it('catches a schema variable the file lacks (the check above can fail)', () => {
    const schema = z.object({ PORT: z.string(), NEW_VARIABLE: z.string() }).superRefine(() => {})
    const example = parseEnvExample('# PORT=8080\n')
    expect(schemaVariables(schema).filter((name) => !example.names.has(name))).toEqual([
      'NEW_VARIABLE',
    ])
  })
})
