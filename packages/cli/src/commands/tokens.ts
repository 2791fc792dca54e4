import { createTokenIssuer, loadAuthKeys, ScopeListSchema, scopes as allScopes } from '@pinion/auth'
import {
  createApiToken,
  findUserByEmail,
  listApiTokens,
  revokeApiToken,
  type Database,
} from '@pinion/db'
import type { Command } from 'commander'
import { issuerConfig } from '../config.js'
import { parseDuration } from '../duration.js'
import { CliError, type CliIo } from '../io.js'
import { withDatabase } from '../with-database.js'

async function userByEmail(database: Database, email: string) {
  const user = await findUserByEmail(database.prisma, email)
  if (!user)
    throw new CliError(
      `no user with e-mail ${email} (create one with: pinion user create ${email})`,
    )
  return user
}

function parseScopes(list: string) {
  const parsed = ScopeListSchema.safeParse(list.split(',').map((scope) => scope.trim()))
  if (!parsed.success)
    throw new CliError(`invalid --scopes "${list}": choose from ${allScopes.join(', ')}`, 2)
  return parsed.data
}

/** `pinion token create|list|revoke`: API tokens, the same ones the dashboard issues. */
export function registerTokens(program: Command, io: CliIo): void {
  const tokens = program.command('token').description('manage API tokens')
  tokens
    .command('create')
    .description('issue an API token; the secret is printed once')
    .requiredOption('--email <email>', 'the user the token acts for')
    .requiredOption('--name <name>', 'a label, e.g. the device it lives on')
    .option('--scopes <list>', 'comma-separated scopes', 'pinning,upload,gateway,prover')
    .option('--expires-in <duration>', 'e.g. 30d, 12h or never', 'never')
    .action(async (options: { email: string; name: string; scopes: string; expiresIn: string }) => {
      const scopes = parseScopes(options.scopes)
      const lifetime = parseDuration(options.expiresIn)
      const keys = await loadAuthKeys(issuerConfig(io.env))
      if (!keys.signingKey)
        throw new CliError('AUTH_SIGNING_KEY or AUTH_SIGNING_KEY_FILE is required to issue tokens')
      const config = issuerConfig(io.env)
      const issuer = createTokenIssuer(
        { signingKey: keys.signingKey },
        { issuer: config.AUTH_ISSUER, audience: config.AUTH_AUDIENCE },
      )
      await withDatabase(io, async (database) => {
        const user = await userByEmail(database, options.email)
        const expiresAt = lifetime === undefined ? undefined : new Date(Date.now() + lifetime)
        const row = await createApiToken(database.prisma, {
          userId: user.id,
          name: options.name,
          scopes,
          expiresAt,
        })
        const jwt = await issuer.issueApiToken({
          userId: user.id,
          tokenId: row.id,
          scopes,
          expiresAt,
        })
        io.err(
          `token ${row.id} for ${user.email} (${scopes.join(', ')}); store it now, it is not shown again`,
        )
        io.out(jwt)
      })
    })
  tokens
    .command('list')
    .description("list a user's tokens (never their secrets)")
    .requiredOption('--email <email>', 'whose tokens')
    .option('--all', 'include revoked tokens', false)
    .action(async (options: { email: string; all: boolean }) => {
      await withDatabase(io, async (database) => {
        const user = await userByEmail(database, options.email)
        for (const token of await listApiTokens(database.prisma, user.id, {
          includeRevoked: options.all,
        })) {
          const state = token.revokedAt
            ? 'revoked'
            : token.expiresAt && token.expiresAt < new Date()
              ? 'expired'
              : 'active'
          io.out(
            [
              token.id,
              token.name,
              token.scopes.join(','),
              state,
              token.lastUsedAt?.toISOString() ?? 'never used',
            ].join('\t'),
          )
        }
      })
    })
  tokens
    .command('revoke')
    .description('revoke a token; every service rejects it within seconds')
    .argument('<token-id>', 'the id shown by `pinion token list`')
    .action(async (tokenId: string) => {
      await withDatabase(io, async (database) => {
        const revoked = await revokeApiToken(database.prisma, { id: tokenId })
        if (!revoked) throw new CliError(`no active token with id ${tokenId}`)
        io.err(`revoked ${tokenId}`)
      })
    })
}
