import { existsSync } from 'node:fs'
import { readFile, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { validate } from 'dockerfile-utils'
import { beforeAll, describe, expect, it } from 'vitest'
import { instructionsOf, parseDockerfile, type ParsedDockerfile, type Stage } from './dockerfile.js'
import { repoRoot } from './paths.js'

const dockerDir = join(repoRoot, 'deploy', 'docker')
let text: string
let dockerfile: ParsedDockerfile
let runtime: Stage
let build: Stage

beforeAll(async () => {
  text = await readFile(join(dockerDir, 'Dockerfile'), 'utf8')
  dockerfile = parseDockerfile(text)
  runtime = dockerfile.stages.at(-1)!
  build = dockerfile.stages.find((stage) => stage.name === 'build')!
})

describe('deploy/docker/Dockerfile', () => {
  it('passes the Dockerfile linter (which does flag a broken file)', () => {
    expect(validate(text)).toEqual([])
    expect(validate('FORM node:20\nUSER\n').length).toBeGreaterThan(0)
  })

  it('is multi-stage and ends on a slim Node 20 image', () => {
    expect(dockerfile.stages.map((stage) => stage.name)).toEqual([
      'base',
      'fetch',
      'build',
      'runtime',
    ])
    expect(dockerfile.globalArgs.get('NODE_IMAGE')).toMatch(/^node:20(\.\d+)*-bookworm-slim$/)
    expect(runtime.from).toBe('${NODE_IMAGE}')
  })

  it('builds with the frozen lockfile, turbo, and pnpm deploy of production dependencies', async () => {
    const runs = instructionsOf(build, 'RUN').map((run) => run.args)
    expect(runs.some((run) => run.includes('pnpm install --frozen-lockfile'))).toBe(true)
    expect(runs.some((run) => run.includes('deploy/docker/assemble.sh "$SERVICE" /out'))).toBe(true)
    const assemble = await readFile(join(dockerDir, 'assemble.sh'), 'utf8')
    expect(assemble).toContain('pnpm exec turbo run build --filter="@pinion/${service}..."')
    expect(assemble).toMatch(
      /pnpm --filter "@pinion\/\$\{service\}" deploy --legacy --prod --no-optional/,
    )
  })

  it('runs as a non-root user by number, under tini, with no shell entry point', () => {
    const [user, ...moreUsers] = instructionsOf(runtime, 'USER')
    expect(moreUsers).toEqual([])
    const [uid, gid] = (user?.args ?? '').split(':').map(Number)
    expect(uid).toBeGreaterThan(0)
    expect(gid).toBeGreaterThan(0)
    const entrypoint = JSON.parse(
      instructionsOf(runtime, 'ENTRYPOINT')[0]?.args ?? '[]',
    ) as string[]
    expect(entrypoint).toEqual(['/usr/bin/tini', '--', 'node', 'dist/main.js'])
    expect(
      instructionsOf(runtime, 'RUN').some((run) => /apt-get install .*\btini\b/.test(run.args)),
    ).toBe(true)
  })

  it('copies only the assembled package into the runtime image, owned by root', () => {
    const copies = instructionsOf(runtime, 'COPY').map((copy) => copy.args)
    expect(copies).toEqual(['--from=build --chown=root:root /out /app'])
    for (const stage of dockerfile.stages)
      expect(instructionsOf(stage, 'ADD'), stage.name).toEqual([])
  })

  it('bakes no secret into any layer', () => {
    for (const stage of dockerfile.stages)
      for (const instruction of [...instructionsOf(stage, 'ENV'), ...instructionsOf(stage, 'ARG')])
        expect(instruction.args, stage.name).not.toMatch(
          /PASSWORD|SECRET|TOKEN|_KEY\b|DATABASE_URL/i,
        )
  })

  it('builds from the repository root without local builds, dependencies or secrets', async () => {
    const ignored = (await readFile(join(repoRoot, '.dockerignore'), 'utf8')).split('\n')
    for (const pattern of ['.git', '**/node_modules', '**/dist', '.pinion', '**/.env'])
      expect(ignored, pattern).toContain(pattern)
  })
})

describe('deploy/docker/docker-bake.json', () => {
  it('builds an image for every service, plus the cli (migrations, Kubo mirror)', async () => {
    const bake = JSON.parse(await readFile(join(dockerDir, 'docker-bake.json'), 'utf8')) as {
      group: { default: { targets: string[] } }
      target: Record<
        string,
        { dockerfile: string; context: string; args: { SERVICE: string }; tags: string[] }
      >
    }
    const services = (await readdir(join(repoRoot, 'services'), { withFileTypes: true }))
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
    expect(Object.keys(bake.target).sort()).toEqual([...services, 'cli'].sort())
    expect(bake.group.default.targets.sort()).toEqual(Object.keys(bake.target).sort())
    for (const [name, target] of Object.entries(bake.target)) {
      expect(target).toMatchObject({ context: '.', dockerfile: 'deploy/docker/Dockerfile' })
      expect(target.args.SERVICE).toBe(name)
      expect(target.tags).toEqual([`\${REGISTRY}/pinion-${name}:\${TAG}`])
      const dir =
        name === 'cli' ? join(repoRoot, 'packages', 'cli') : join(repoRoot, 'services', name)
      const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as {
        name: string
      }
      expect(manifest.name).toBe(`@pinion/${name}`)
      expect(existsSync(join(dir, 'src', 'main.ts')), `${name} has src/main.ts`).toBe(true)
    }
  })
})
