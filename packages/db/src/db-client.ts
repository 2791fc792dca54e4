import type { Prisma, PrismaClient } from './generated/prisma/client.js'

/** The client inside `prisma.$transaction(async (tx) => …)`. */
export type Tx = Prisma.TransactionClient

/**
 * What repository functions take as their first argument: the root client or a transaction, so
 * the caller decides what runs atomically.
 */
export type DbClient = PrismaClient | Tx

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * Whether `value` is a UUID in its canonical text form. Repositories answer "not found" for
 * anything else instead of letting Postgres reject the cast (a 500 for a mistyped id in a URL).
 */
export function isUuid(value: string): boolean {
  return uuidPattern.test(value)
}
