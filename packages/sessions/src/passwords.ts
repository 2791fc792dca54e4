import { randomBytes } from 'node:crypto'
import { argon2Verify, argon2id } from 'hash-wasm'

/**
 * Argon2id with OWASP's second recommended profile (19 MiB, 2 passes, 1 lane): memory-hard, so
 * a stolen hash costs an attacker memory as well as time per guess. hash-wasm runs the reference
 * algorithm as WebAssembly: no native binding, so the same code works in every image and on
 * every CPU (a prebuilt N-API module ships its binary as an optional dependency, which the
 * images' production install leaves out).
 */
const params = { iterations: 2, memorySize: 19_456, parallelism: 1, hashLength: 32 } as const

/** Hashes a password into a PHC string (`$argon2id$v=19$m=…`), salt included. */
export function hashPassword(password: string): Promise<string> {
  return argon2id({ ...params, password, salt: randomBytes(16), outputType: 'encoded' })
}

/** Whether `password` matches the PHC string; false for a malformed hash. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await argon2Verify({ password, hash: passwordHash })
  } catch {
    return false
  }
}
