import { AppError } from '@pinion/service-kit'

/**
 * The input cannot become a UnixFS DAG: a path that is not relative, a path given twice or used
 * both as a file and a directory, or nothing to import. Reason BAD_REQUEST: the caller can fix it.
 */
export class InvalidImportError extends AppError {
  constructor(details: string) {
    super('BAD_REQUEST', { details })
  }
}
