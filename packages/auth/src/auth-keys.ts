import { readFile } from 'node:fs/promises'
import { ConfigError } from '@pinion/service-kit'
import { mergePublicKeys, parsePublicKeys, type PublicJwk } from './public-keys.js'
import { parseSigningKey, type SigningKey } from './signing-key.js'

/** The key material a process holds after configuration: what it signs with and verifies with. */
export interface AuthKeys {
  /** Present only where tokens are issued (the dashboard, the admin CLI). */
  readonly signingKey: SigningKey | undefined
  /** Every key a token may be verified with: the listed public keys plus the signing key's half. */
  readonly publicKeys: PublicJwk[]
}

/** One piece of key text and the variable it came from, for error messages. */
export interface KeySource {
  readonly variable: string
  readonly text: string
}

/** A problem with one variable; the message never contains the variable's value. */
export interface KeyProblem {
  readonly variable: string
  readonly message: string
}

/**
 * Parses signing and public key text into {@link AuthKeys}, collecting every problem by variable
 * instead of stopping at the first. Shared by the config schema (inline values) and
 * {@link loadAuthKeys} (file contents) so both report the same way.
 */
export function keysFromSources(sources: {
  signingKey?: KeySource
  kid?: string
  publicKeys?: KeySource
}): { keys: AuthKeys | undefined; problems: KeyProblem[] } {
  const problems: KeyProblem[] = []
  let signingKey: SigningKey | undefined
  let listed: PublicJwk[] = []
  if (sources.signingKey) {
    try {
      signingKey = parseSigningKey(sources.signingKey.text, { kid: sources.kid })
    } catch (error) {
      problems.push({ variable: sources.signingKey.variable, message: (error as Error).message })
    }
  }
  if (sources.publicKeys) {
    try {
      listed = parsePublicKeys(sources.publicKeys.text)
    } catch (error) {
      problems.push({ variable: sources.publicKeys.variable, message: (error as Error).message })
    }
  }
  if (problems.length > 0) return { keys: undefined, problems }
  try {
    const publicKeys = mergePublicKeys(signingKey ? [signingKey.publicJwk] : [], listed)
    return { keys: { signingKey, publicKeys }, problems }
  } catch (error) {
    const variable = sources.publicKeys?.variable ?? 'AUTH_PUBLIC_KEYS'
    return { keys: undefined, problems: [{ variable, message: (error as Error).message }] }
  }
}

/** The configuration fields {@link loadAuthKeys} reads (a subset of `AuthConfig`). */
export interface AuthKeyConfig {
  AUTH_SIGNING_KEY?: string | undefined
  AUTH_SIGNING_KEY_FILE?: string | undefined
  AUTH_SIGNING_KEY_ID?: string | undefined
  AUTH_PUBLIC_KEYS?: string | undefined
  AUTH_PUBLIC_KEYS_FILE?: string | undefined
}

/** Reads `<name>` inline, or the file `<name>_FILE` points at. */
async function readSource(
  name: string,
  inline: string | undefined,
  path: string | undefined,
  problems: KeyProblem[],
): Promise<KeySource | undefined> {
  if (inline !== undefined) return { variable: name, text: inline }
  if (path === undefined) return undefined
  const variable = `${name}_FILE`
  try {
    return { variable, text: await readFile(path, 'utf8') }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error'
    problems.push({ variable, message: `cannot read the file (${code})` })
    return undefined
  }
}

/**
 * Resolves the configured key material, reading `AUTH_SIGNING_KEY_FILE` / `AUTH_PUBLIC_KEYS_FILE`
 * (Kubernetes Secrets mounted as files) where given. Call it from a service's `deps.ts`; it runs
 * before the listener opens, so bad keys stop the process the same way bad env does.
 *
 * @throws ConfigError listing every problem by variable name, never a value.
 */
export async function loadAuthKeys(config: AuthKeyConfig): Promise<AuthKeys> {
  const problems: KeyProblem[] = []
  const signingKey = await readSource(
    'AUTH_SIGNING_KEY',
    config.AUTH_SIGNING_KEY,
    config.AUTH_SIGNING_KEY_FILE,
    problems,
  )
  const publicKeys = await readSource(
    'AUTH_PUBLIC_KEYS',
    config.AUTH_PUBLIC_KEYS,
    config.AUTH_PUBLIC_KEYS_FILE,
    problems,
  )
  const result = keysFromSources({ signingKey, kid: config.AUTH_SIGNING_KEY_ID, publicKeys })
  problems.push(...result.problems)
  if (!result.keys || problems.length > 0)
    throw new ConfigError(problems.map((problem) => `${problem.variable}: ${problem.message}`))
  return result.keys
}
