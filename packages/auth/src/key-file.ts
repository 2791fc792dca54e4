import { randomBytes } from 'node:crypto'
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { generateSigningKey, parseSigningKey, type SigningKey } from './signing-key.js'
import type { SigningAlgorithm } from './public-keys.js'

/**
 * Returns the signing key stored at `path`, creating it first if the file does not exist: what the
 * local stack calls on first start. The new file is written with mode 0600 and appears atomically
 * (write to a temporary name, then `link`), so two processes starting together end up with the same
 * key and a crash never leaves half a key behind.
 *
 * @throws TypeError if an existing file is not a usable private key; fs errors other than EEXIST.
 */
export async function ensureSigningKeyFile(
  path: string,
  options: { alg?: SigningAlgorithm } = {},
): Promise<{ key: SigningKey; created: boolean }> {
  try {
    return { key: parseSigningKey(await readFile(path, 'utf8')), created: false }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  await mkdir(dirname(path), { recursive: true, mode: 0o700 })
  const generated = generateSigningKey(options)
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`
  await writeFile(temporary, generated.privateKeyPem, { mode: 0o600, flag: 'wx' })
  try {
    await link(temporary, path)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    // Another process won the race; use its key.
    return { key: parseSigningKey(await readFile(path, 'utf8')), created: false }
  } finally {
    await unlink(temporary)
  }
  return { key: parseSigningKey(generated.privateKeyPem), created: true }
}
