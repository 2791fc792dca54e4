import { createUser, findUserByEmail, isUniqueViolation, listUsers, updateUser } from '@pinion/db'
import { hashPassword } from '@pinion/sessions'
import type { Command } from 'commander'
import { z } from 'zod'
import { CliError, type CliIo } from '../io.js'
import { withDatabase } from '../with-database.js'

const EmailSchema = z.email()
/** The dashboard's sign-up rule, so a password set here is one the dashboard would accept. */
const PasswordSchema = z.string().min(8).max(1024)

function parseEmail(email: string): string {
  const parsed = EmailSchema.safeParse(email)
  if (!parsed.success) throw new CliError(`invalid e-mail address "${email}"`, 2)
  return parsed.data
}

/**
 * Reads a password from standard input (never from argv: it would show in `ps` and shell
 * history). One trailing line break is dropped, so `echo secret | pinion …` works.
 */
async function readPassword(io: CliIo): Promise<string> {
  if (!io.readStdin) throw new CliError('no standard input to read the password from', 2)
  const password = (await io.readStdin()).replace(/\r?\n$/, '')
  if (!PasswordSchema.safeParse(password).success)
    throw new CliError('the password must be 8 to 1024 characters long', 2)
  return password
}

/** `pinion user create|set-password|list`: accounts for operators. */
export function registerUsers(program: Command, io: CliIo): void {
  const users = program.command('user').description('manage user accounts')
  users
    .command('create')
    .description('create a user account')
    .argument('<email>', 'e-mail address (unique, case-insensitive)')
    .option('--name <name>', 'display name')
    .option('--admin', 'give the account the admin role', false)
    .option('--if-missing', 'succeed without changes when the account exists', false)
    .option('--password-stdin', 'read a dashboard sign-in password from standard input', false)
    .action(
      async (
        email: string,
        options: { name?: string; admin: boolean; ifMissing: boolean; passwordStdin: boolean },
      ) => {
        const address = parseEmail(email)
        const password = options.passwordStdin ? await readPassword(io) : undefined
        await withDatabase(io, async ({ prisma }) => {
          const existing = await findUserByEmail(prisma, address)
          if (existing && options.ifMissing) {
            io.out(existing.id)
            return
          }
          try {
            const user = await createUser(prisma, {
              email: address,
              displayName: options.name ?? address.split('@')[0] ?? address,
              role: options.admin ? 'admin' : 'user',
              passwordHash: password === undefined ? null : await hashPassword(password),
            })
            io.err(`created ${user.role} ${user.email}`)
            io.out(user.id)
          } catch (error) {
            if (isUniqueViolation(error))
              throw new CliError(`a user with e-mail ${address} already exists`)
            throw error
          }
        })
      },
    )
  users
    .command('set-password')
    .description("set an account's dashboard sign-in password (read from standard input)")
    .argument('<email>', 'e-mail address of the account')
    .option('--stdin', 'read the password from standard input (the only way; for clarity)', true)
    .action(async (email: string) => {
      const address = parseEmail(email)
      const password = await readPassword(io)
      await withDatabase(io, async ({ prisma }) => {
        const user = await findUserByEmail(prisma, address)
        if (!user) throw new CliError(`no user with e-mail ${address}`)
        await updateUser(prisma, user.id, { passwordHash: await hashPassword(password) })
        io.err(`password set for ${user.email}`)
        io.out(user.id)
      })
    })
  users
    .command('list')
    .description('list user accounts')
    .action(async () => {
      await withDatabase(io, async ({ prisma }) => {
        for (const user of await listUsers(prisma, { limit: 1000 })) {
          io.out(
            [user.id, user.email, user.role, user.disabledAt ? 'disabled' : 'active'].join('\t'),
          )
        }
      })
    })
}
