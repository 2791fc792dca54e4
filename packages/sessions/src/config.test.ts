import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadSessionSecrets, sessionSchema } from './config.js'

const current = 'the-current-session-secret-0123456789'
const previous = 'a-previous-session-secret-0123456789'

async function fileWith(text: string): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), 'pinion-session-')), 'secret')
  await writeFile(path, text)
  return path
}

describe('session secrets', () => {
  it('puts the current secret first, then the previous ones', async () => {
    const config = sessionSchema.parse({
      SESSION_SECRET: current,
      SESSION_PREVIOUS_SECRETS: ` ${previous} ,${previous.toUpperCase()}`,
    })
    expect(await loadSessionSecrets(config)).toEqual([current, previous, previous.toUpperCase()])
    expect(await loadSessionSecrets(sessionSchema.parse({}))).toBeUndefined()
  })

  it('reads a file: the first line is the secret, further lines previous ones', async () => {
    const path = await fileWith(`${current}\r\n\n${previous}\n`)
    const config = sessionSchema.parse({ SESSION_SECRET_FILE: path })
    expect(await loadSessionSecrets(config)).toEqual([current, previous])
  })

  it('refuses short secrets and previous secrets without a current one', async () => {
    const short = sessionSchema.safeParse({
      SESSION_SECRET: current,
      SESSION_PREVIOUS_SECRETS: 'x',
    })
    expect(short.success).toBe(false)
    expect(JSON.stringify(short.error?.issues)).toMatch(/at least 32 characters/)
    await expect(
      loadSessionSecrets(sessionSchema.parse({ SESSION_PREVIOUS_SECRETS: previous })),
    ).rejects.toThrow(/SESSION_SECRET too/)
    const file = sessionSchema.parse({ SESSION_SECRET_FILE: await fileWith(`${current}\nshort\n`) })
    await expect(loadSessionSecrets(file)).rejects.toThrow(/at least 32 characters/)
  })
})
