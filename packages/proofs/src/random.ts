/** The default CSPRNG: `crypto.getRandomValues`, available in browsers and Node ≥ 20. */
import { randomBytes as nobleRandomBytes } from '@noble/hashes/utils.js'
import type { RandomBytes } from './modarith.js'

/** Draws `n` bytes from the platform CSPRNG. */
export const defaultRandom: RandomBytes = (n) => nobleRandomBytes(n)
