import { hash, verify } from '@node-rs/argon2'

/**
 * Argon2id with OWASP's second recommended profile (19 MiB, 2 passes, 1 lane): memory-hard, so
 * a stolen hash costs an attacker memory as well as time per guess. @node-rs/argon2 is the
 * reference C implementation as a prebuilt N-API module (no compiler, no download at install).
 */
const params = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const

/** Hashes a password into a PHC string (`$argon2id$v=19$m=…`), salt included. */
export function hashPassword(password: string): Promise<string> {
  return hash(password, params)
}

/** Whether `password` matches the PHC string; false for a malformed hash. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password)
  } catch {
    return false
  }
}
