import { AppError } from '@pinion/service-kit'

/** E-mail and password did not match an enabled account (401, the same for every cause). */
export class InvalidCredentialsError extends AppError {
  constructor() {
    super('UNAUTHORIZED', { details: 'Wrong e-mail or password' })
  }
}

/** Sign-up is closed by configuration (403 SIGNUP_CLOSED). */
export class SignUpClosedError extends AppError {
  constructor() {
    super('SIGNUP_CLOSED', { details: 'Sign-up is closed on this server' })
  }
}

/** Too many attempts from this client (429 RATE_LIMITED, with Retry-After). */
export class ThrottledError extends AppError {
  readonly retryAfterSeconds: number
  constructor(what: string, retryAfterSeconds: number) {
    super('RATE_LIMITED', { details: `Too many ${what}; try again in ${retryAfterSeconds} s` })
    this.retryAfterSeconds = retryAfterSeconds
  }
}

/** The e-mail already has an account (409 CONFLICT). */
export class EmailTakenError extends AppError {
  constructor() {
    super('CONFLICT', { details: 'An account with this e-mail already exists' })
  }
}

/** An external sign-in could not be completed (401, details say why). */
export class ExternalSignInError extends AppError {
  constructor(details: string, options: { cause?: unknown } = {}) {
    super('UNAUTHORIZED', { details, cause: options.cause })
  }
}
