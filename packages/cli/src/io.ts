import type { Logger } from '@pinion/service-kit'
import type { Env } from './config.js'

/** Where a command writes and what it reads: the process in main.ts, buffers in tests. */
export interface CliIo {
  readonly env: Env
  /** Results (tokens, tables): what a script would pipe. */
  out(line: string): void
  /** Notes and progress for the person at the terminal. */
  err(line: string): void
  readonly logger: Logger
  /** Where progress bars draw (a terminal's stderr); none when absent. */
  readonly progress?: NodeJS.WritableStream
  /** Everything on standard input (secrets such as passwords never go on the command line). */
  readonly readStdin?: () => Promise<string>
}

/** A failure the user can fix; printed without a stack trace. `code` 2 means bad usage. */
export class CliError extends Error {
  readonly exitCode: number
  constructor(message: string, exitCode = 1) {
    super(message)
    this.name = 'CliError'
    this.exitCode = exitCode
  }
}
