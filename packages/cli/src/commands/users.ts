import { createUser, findUserByEmail, isUniqueViolation, listUsers, updateUser } from '@pinion/db'
import { hashPassword } from '@pinion/sessions'
import type { Command } from 'commander'
import { z } from 'zod'
import { CliError, type CliIo } from '../io.js'
import { withDatabase } from '../with-database.js'

const EmailSchema = z.email()

/** `pinion user create|list|set-password`: accounts for operators. */
export function registerUsers(program: Command, io: CliIo): void {
  const users = program.command('user').description('manage user accounts')
  users
    .command('create')
    .description('create a user account')
    .argument('<email>', 'e-mail address (unique, case-insensitive)')
    .option('--name <name>', 'display name')
    .option('--admin', 'give the account the admin role', false)
    .option('--if-missing', 'succeed without changes when the account exists', false)
    .action(
      async (email: string, options: { name?: string; admin: boolean; ifMissing: boolean }) => {
        const parsed = EmailSchema.safeParse(email)
        if (!parsed.success) throw new CliError(`invalid e-mail address "${email}"`, 2)
        await withDatabase(io, async ({ prisma }) => {
          const existing = await findUserByEmail(prisma, parsed.data)
          if (existing && options.ifMissing) {
            io.out(existing.id)
            return
          }
          try {
            const user = await createUser(prisma, {
              email: parsed.data,
              displayName: options.name ?? parsed.data.split('@')[0] ?? parsed.data,
              role: options.admin ? 'admin' : 'user',
            })
            io.err(`created ${user.role} ${user.email}`)
            io.out(user.id)
          } catch (error) {
            if (isUniqueViolation(error))
              throw new CliError(`a user with e-mail ${parsed.data} already exists`)
            throw error
          }
        })
      },
    )
  users
    .command('set-password')
    .description("set an account's dashboard sign-in password (argon2id), read from standard input")
    .argument('<email>', 'the account')
    .requiredOption('--stdin', 'read the password from standard input (the only way: never argv)')
    .action(async (email: string) => {
      if (io.readStdin === undefined) throw new CliError('no standard input to read', 2)
      // One trailing newline is what `echo` adds; the password itself may hold spaces.
      const password = (await io.readStdin()).replace(/\r?\n$/, '')
      if (password.length < 8) throw new CliError('the password must have at least 8 characters', 2)
      await withDatabase(io, async ({ prisma }) => {
        const user = await findUserByEmail(prisma, email)
        if (user === null) throw new CliError(`no user with e-mail ${email}`)
        await updateUser(prisma, user.id, { passwordHash: await hashPassword(password) })
        io.err(`password set for ${user.email}`)
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
