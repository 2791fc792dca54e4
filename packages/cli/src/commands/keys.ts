import { ensureSigningKeyFile, generateSigningKey, signingAlgorithms } from '@pinion/auth'
import type { Command } from 'commander'
import { CliError, type CliIo } from '../io.js'

type Algorithm = (typeof signingAlgorithms)[number]

/** `pinion keys generate`: a token-signing key pair for a new deployment or a rotation. */
export function registerKeys(program: Command, io: CliIo): void {
  program
    .command('keys')
    .description('token signing keys')
    .command('generate')
    .description(
      'generate a signing key: the private PEM on stdout (or --out), the public JWK on stderr',
    )
    .option('--alg <alg>', `one of ${signingAlgorithms.join(', ')}`, 'EdDSA')
    .option('--out <file>', 'write the private key to this file (mode 0600) unless it exists')
    .action(async (options: { alg: string; out?: string }) => {
      if (!signingAlgorithms.includes(options.alg as Algorithm)) {
        throw new CliError(`--alg must be one of ${signingAlgorithms.join(', ')}`, 2)
      }
      const alg = options.alg as Algorithm
      if (options.out) {
        const { key, created } = await ensureSigningKeyFile(options.out, { alg })
        io.err(created ? `wrote ${options.out}` : `${options.out} exists; kept it`)
        io.err(`public key (for AUTH_PUBLIC_KEYS): ${JSON.stringify(key.publicJwk)}`)
        return
      }
      const key = generateSigningKey({ alg })
      io.out(key.privateKeyPem.trimEnd())
      io.err(`public key (for AUTH_PUBLIC_KEYS): ${JSON.stringify(key.publicJwk)}`)
    })
}
