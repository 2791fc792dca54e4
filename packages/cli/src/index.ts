/**
 * The `pinion` command for operators: `migrate`, `user create|list`, `token create|list|revoke`,
 * `keys generate`, `kubo mirror`, `upload` and `audit` (a proof-of-storage audit round against a
 * prover). Feature packages add their own commands in `src/commands/`.
 *
 * @example
 * ```ts
 * const code = await runCli(['token', 'create', '--email', 'ada@example.org', '--name', 'ci'], io)
 * ```
 */
export { createProgram, runCli } from './program.js'
export { CliError, type CliIo } from './io.js'
