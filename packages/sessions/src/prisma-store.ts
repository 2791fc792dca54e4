import { isUuid, type DbClient, type Prisma } from '@pinion/db'
import { periodicTask, type Startable } from '@pinion/service-kit'
import session from 'express-session'

/** What the store keeps of a session besides express-session's own fields. */
interface StoredSession extends session.SessionData {
  passport?: { user?: unknown }
}

/**
 * express-session's store on the `sessions` table. The `user_id` column mirrors the signed-in user
 * (passport's `session.passport.user`) so that "sign out everywhere" and account deletion can
 * remove every session of a user with one DELETE.
 */
export class PrismaSessionStore extends session.Store implements Startable {
  readonly name = 'session-store'
  private readonly prisma: DbClient
  private readonly maxAgeMs: number
  private readonly pruner: Startable

  constructor(prisma: DbClient, init: { maxAgeMs: number; pruneEveryMs?: number }) {
    super()
    this.prisma = prisma
    this.maxAgeMs = init.maxAgeMs
    this.pruner = periodicTask({
      name: 'session-pruner',
      everyMs: init.pruneEveryMs ?? 10 * 60_000,
      run: async () => {
        await this.prune()
      },
      // The next pass retries; expired rows are already treated as absent.
      onError: () => undefined,
    })
  }

  override get(
    sid: string,
    callback: (err: unknown, session?: session.SessionData | null) => void,
  ): void {
    this.prisma.session
      .findUnique({ where: { sid } })
      .then((row) => {
        // An expired row is as good as absent; the pruner deletes it later.
        if (row === null || row.expiresAt.getTime() <= Date.now()) return callback(null, null)
        callback(null, row.data as unknown as session.SessionData)
      })
      .catch(callback)
  }

  override set(sid: string, data: session.SessionData, callback?: (err?: unknown) => void): void {
    const stored = JSON.parse(JSON.stringify(data)) as Prisma.InputJsonObject
    const expiresAt = this.expiry(data)
    const userId = userIdOf(data)
    this.prisma.session
      .upsert({
        where: { sid },
        create: { sid, data: stored, expiresAt, userId },
        update: { data: stored, expiresAt, userId },
      })
      .then(() => callback?.())
      .catch((error: unknown) => callback?.(error))
  }

  override destroy(sid: string, callback?: (err?: unknown) => void): void {
    this.prisma.session
      .deleteMany({ where: { sid } })
      .then(() => callback?.())
      .catch((error: unknown) => callback?.(error))
  }

  override touch(sid: string, data: session.SessionData, callback?: () => void): void {
    this.prisma.session
      .updateMany({ where: { sid }, data: { expiresAt: this.expiry(data) } })
      .then(() => callback?.())
      // express-session ignores touch errors too; a failed touch only shortens the session.
      .catch(() => callback?.())
  }

  /** Deletes every session of `userId` (sign out everywhere). Returns how many there were. */
  async destroyAllOf(userId: string): Promise<number> {
    if (!isUuid(userId)) return 0
    const { count } = await this.prisma.session.deleteMany({ where: { userId } })
    return count
  }

  /** Deletes expired rows; returns how many. */
  async prune(now = new Date()): Promise<number> {
    const { count } = await this.prisma.session.deleteMany({ where: { expiresAt: { lte: now } } })
    return count
  }

  start(): Promise<void> {
    return this.pruner.start()
  }

  stop(): Promise<void> {
    return this.pruner.stop()
  }

  private expiry(data: session.SessionData): Date {
    const expires = data.cookie.expires
    if (expires) return new Date(expires)
    return new Date(Date.now() + this.maxAgeMs)
  }
}

function userIdOf(data: StoredSession): string | null {
  const user = data.passport?.user
  return typeof user === 'string' && isUuid(user) ? user : null
}
