import { readFile } from 'node:fs/promises'
import { ConfigError } from '@pinion/service-kit'

/**
 * A secret given inline (`NAME`) or as a file (`NAME_FILE`, a mounted Kubernetes Secret); the
 * file's trailing newline is dropped. `undefined` when neither is set.
 *
 * @throws ConfigError naming the variable (never the value) when the file cannot be read.
 */
export async function readSecret(
  name: string,
  inline: string | undefined,
  file: string | undefined,
): Promise<string | undefined> {
  if (inline !== undefined) return inline
  if (file === undefined) return undefined
  try {
    return (await readFile(file, 'utf8')).replace(/\r?\n$/, '')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error'
    throw new ConfigError([`${name}_FILE: cannot read the file (${code})`])
  }
}
