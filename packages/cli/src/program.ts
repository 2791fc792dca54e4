import { ConfigError } from '@pinion/service-kit'
import { Command, CommanderError } from 'commander'
import { registerAudit } from './commands/audit.js'
import { registerGithub } from './commands/github.js'
import { registerKeys } from './commands/keys.js'
import { registerKubo } from './commands/kubo.js'
import { registerMigrate } from './commands/migrate.js'
import { registerTokens } from './commands/tokens.js'
import { registerUpload } from './commands/upload.js'
import { registerUsers } from './commands/users.js'
import { CliError, type CliIo } from './io.js'

/** Builds the `pinion` command tree. Commands write through `io`, so tests run them in-process. */
export function createProgram(io: CliIo): Command {
  const program = new Command('pinion')
    .description(
      'Pinion administration (database, users, API tokens, keys, Kubo replicas), uploads and audits',
    )
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.out(text.trimEnd()),
      writeErr: (text) => io.err(text.trimEnd()),
    })
    .showHelpAfterError()
  registerMigrate(program, io)
  registerUsers(program, io)
  registerTokens(program, io)
  registerKeys(program, io)
  registerKubo(program, io)
  registerUpload(program, io)
  registerAudit(program, io)
  registerGithub(program, io)
  return program
}

/**
 * Runs one command line and returns the process exit code: 0 on success, 2 for usage errors
 * (unknown command, bad option, invalid value), 1 for failures. Messages never include a stack.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    await createProgram(io).parseAsync([...argv], { from: 'user' })
    return 0
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? 0 : 2
    }
    if (error instanceof CliError) {
      io.err(`pinion: ${error.message}`)
      return error.exitCode
    }
    if (error instanceof ConfigError) {
      io.err(`pinion: ${error.message}`)
      return 2
    }
    io.logger.error({ err: error }, 'command failed')
    io.err(`pinion: ${error instanceof Error ? error.message : String(error)}`)
    return 1
  }
}
