import { hashPassword } from '@pinion/sessions'

// The KDF lives in @pinion/sessions so the operator CLI hashes exactly as sign-in verifies.
export { hashPassword, verifyPassword } from '@pinion/sessions'

/**
 * A hash of a random password, verified against when the e-mail is unknown so that a wrong
 * e-mail costs the same time as a wrong password (no account-existence oracle by timing).
 */
export const decoyHash = hashPassword(crypto.randomUUID())
