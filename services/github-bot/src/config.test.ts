import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ConfigError, parseConfig } from '@pinion/service-kit'
import { describe, expect, it } from 'vitest'
import { githubSchema, refineGithubConfig } from './config.js'
import { readSecret } from './secrets.js'

const schema = githubSchema.superRefine((config, context) =>
  refineGithubConfig(config, (path, message) =>
    context.addIssue({ code: 'custom', path: [path], message }),
  ),
)

describe('GitHub configuration', () => {
  it('defaults to github.com, 10-minute release polling and 10 kept pins; the App is optional', () => {
    expect(parseConfig(schema, {})).toMatchObject({
      GITHUB_API_URL: 'https://api.github.com',
      GITHUB_RELEASE_POLL_MAX_MS: 600_000,
      GITHUB_KEEP_PINS: 10,
    })
  })

  it('names what an App id lacks, and refuses a value given both inline and as a file', () => {
    expect(() => parseConfig(schema, { GITHUB_APP_ID: '1' })).toThrow(ConfigError)
    const problems = (() => {
      try {
        parseConfig(schema, {
          GITHUB_APP_ID: '1',
          GITHUB_WEBHOOK_SECRET: 's',
          GITHUB_WEBHOOK_SECRET_FILE: '/x',
        })
        return []
      } catch (error) {
        return (error as ConfigError).problems
      }
    })()
    expect(problems).toEqual([
      'GITHUB_WEBHOOK_SECRET_FILE: set GITHUB_WEBHOOK_SECRET or GITHUB_WEBHOOK_SECRET_FILE, not both',
      'GITHUB_PRIVATE_KEY: GITHUB_APP_ID needs GITHUB_PRIVATE_KEY or GITHUB_PRIVATE_KEY_FILE',
    ])
  })

  it('reads a secret from its _FILE (trailing newline dropped), naming the variable on failure', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'pinion-secret-'))
    try {
      const file = join(folder, 'secret')
      await writeFile(file, 'hunter2\n')
      expect(await readSecret('GITHUB_WEBHOOK_SECRET', undefined, file)).toBe('hunter2')
      expect(await readSecret('GITHUB_WEBHOOK_SECRET', 'inline', file)).toBe('inline')
      expect(await readSecret('GITHUB_WEBHOOK_SECRET', undefined, undefined)).toBeUndefined()
      await expect(
        readSecret('GITHUB_PRIVATE_KEY', undefined, join(folder, 'missing')),
      ).rejects.toThrow('GITHUB_PRIVATE_KEY_FILE: cannot read the file (ENOENT)')
    } finally {
      await rm(folder, { recursive: true, force: true })
    }
  })
})
