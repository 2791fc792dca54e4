import { createUser, findUserByEmail, isUniqueViolation, listUsers } from '@pinion/db'
import type { Command } from 'commander'
import { z } from 'zod'
import { CliError, type CliIo } from '../io.js'
import { withDatabase } from '../with-database.js'

const EmailSchema = z.email()

/** `pinion user create|list`: accounts for operators (sign-in passwords are set in the dashboard). */
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
