import { AppError } from '@pinion/service-kit'

/** The body is larger than `UPLOAD_MAX_BYTES` (or holds more files than `UPLOAD_MAX_FILES`). */
export class PayloadTooLargeError extends AppError {
  constructor(details: string) {
    super('PAYLOAD_TOO_LARGE', { details })
  }
}

/** The request has no body bytes at all. */
export class EmptyBodyError extends AppError {
  constructor() {
    super('BAD_REQUEST', { details: 'The request body is empty' })
  }
}

/** The Content-Type is not one the upload service reads. */
export class UnsupportedMediaTypeError extends AppError {
  constructor(details: string) {
    super('UNSUPPORTED_MEDIA_TYPE', { details })
  }
}

/** The client closed the connection before the upload finished; nothing was kept. */
export class ClientAbortedError extends AppError {
  constructor() {
    super('CLIENT_CLOSED_REQUEST', { details: 'The client closed the connection mid-upload' })
  }
}
