import {
  createUser,
  findUserByEmail,
  isUniqueViolation,
  type DbClient,
  type User,
} from '@pinion/db'
import { hashPassword, verifyPassword } from '@pinion/sessions'
import type { AttemptLimiter } from './attempt-limiter.js'
import {
  EmailTakenError,
  InvalidCredentialsError,
  SignUpClosedError,
  ThrottledError,
} from './errors.js'

/**
 * A hash of a random password, verified against when the e-mail is unknown so that a wrong
 * e-mail costs the same time as a wrong password (no account-existence oracle by timing).
 */
let decoy: Promise<string> | undefined
const decoyHash = () => (decoy ??= hashPassword(crypto.randomUUID()))

/** What local (e-mail + password) accounts need. */
export interface LocalAccountComponents {
  prisma: DbClient
  limiter: AttemptLimiter
}

/**
 * Creates an account with a password. Every attempt counts against the client address's sign-up
 * limit, taken or not (a 409 tells whether an e-mail has an account).
 *
 * @throws SignUpClosedError, ThrottledError, EmailTakenError.
 */
export async function signUp(
  components: LocalAccountComponents,
  init: { signUpOpen: boolean },
  input: {
    email: string
    password: string
    displayName?: string | undefined
    clientAddress: string
  },
): Promise<User> {
  if (!init.signUpOpen) throw new SignUpClosedError()
  const wait = await components.limiter.retryAfter(input.clientAddress)
  if (wait > 0) throw new ThrottledError('sign-ups from this address', wait)
  await components.limiter.record(input.clientAddress)
  const passwordHash = await hashPassword(input.password)
  try {
    return await createUser(components.prisma, {
      email: input.email,
      displayName: input.displayName ?? input.email.split('@')[0] ?? input.email,
      passwordHash,
    })
  } catch (error) {
    if (isUniqueViolation(error, 'users_email_key')) throw new EmailTakenError()
    throw error
  }
}

/**
 * Checks e-mail and password, throttled per e-mail + client address: after `maxAttempts` failures
 * in a window every attempt is refused, right or wrong, until the window ends.
 *
 * @throws ThrottledError, InvalidCredentialsError (also for disabled or password-less users).
 */
export async function signIn(
  components: LocalAccountComponents,
  input: { email: string; password: string; clientAddress: string },
): Promise<User> {
  const key = `${input.email.trim().toLowerCase()}\0${input.clientAddress}`
  const wait = await components.limiter.retryAfter(key)
  if (wait > 0) throw new ThrottledError('failed sign-ins', wait)
  const user = await findUserByEmail(components.prisma, input.email)
  const ok = await verifyPassword(user?.passwordHash ?? (await decoyHash()), input.password)
  if (!user || !user.passwordHash || !ok || user.disabledAt !== null) {
    await components.limiter.record(key)
    throw new InvalidCredentialsError()
  }
  await components.limiter.reset(key)
  return user
}
