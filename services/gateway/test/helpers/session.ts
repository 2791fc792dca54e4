import type { PrismaClient } from '@pinion/db'
import express, { type RequestHandler } from 'express'
import session, { Store, type SessionData } from 'express-session'

/**
 * A minimal express-session store over the `sessions` table, standing in for the dashboard's
 * (which owns sessions): the gateway tests prove the web route works with a real express-session
 * cookie and a session row in Postgres, through the documented `SessionAuth` contract.
 */
class TableStore extends Store {
  constructor(private readonly prisma: PrismaClient) {
    super()
  }

  override get(
    sid: string,
    callback: (error: unknown, session?: SessionData | null) => void,
  ): void {
    this.prisma.session
      .findUnique({ where: { sid } })
      .then((row) =>
        callback(
          null,
          row === null || row.expiresAt < new Date() ? null : (row.data as unknown as SessionData),
        ),
      )
      .catch(callback)
  }

  override set(sid: string, data: SessionData, callback?: (error?: unknown) => void): void {
    const userId = (data as { passport?: { user?: string } }).passport?.user ?? null
    const expiresAt = data.cookie.expires ?? new Date(Date.now() + 86_400_000)
    const row = { data: data as never, userId, expiresAt }
    this.prisma.session
      .upsert({ where: { sid }, create: { sid, ...row }, update: row })
      .then(() => callback?.())
      .catch((error: unknown) => callback?.(error))
  }

  override destroy(sid: string, callback?: (error?: unknown) => void): void {
    this.prisma.session
      .deleteMany({ where: { sid } })
      .then(() => callback?.())
      .catch((error: unknown) => callback?.(error))
  }
}

/** The session cookie settings a dashboard and the gateway would share. */
export interface TestSessions {
  /** What the dashboard would hand the gateway: express-session, then `req.user = { id }`. */
  sessionAuth: RequestHandler[]
  /** A tiny "dashboard" that signs a user in and returns the Set-Cookie value. */
  signIn(userId: string): Promise<string>
}

export function testSessions(prisma: PrismaClient): TestSessions {
  const store = new TableStore(prisma)
  const middleware = session({
    store,
    secret: 'gateway-test-secret',
    name: 'pinion.sid',
    resave: false,
    saveUninitialized: false,
    cookie: { httpOnly: true, sameSite: 'lax' },
  })
  // What passport.session() + deserializeUser do, per the SessionAuth contract.
  const setUser: RequestHandler = (req, _res, next) => {
    const id = (req.session as { passport?: { user?: unknown } } | undefined)?.passport?.user
    if (typeof id === 'string') (req as { user?: unknown }).user = { id }
    next()
  }
  return {
    sessionAuth: [middleware, setUser],
    async signIn(userId) {
      const app = express()
      app.use(middleware)
      app.post('/login', (req, res) => {
        ;(req.session as { passport?: { user: string } }).passport = { user: userId }
        res.status(204).end()
      })
      const server = app.listen(0, '127.0.0.1')
      await new Promise((resolve) => server.once('listening', resolve))
      const { port } = server.address() as { port: number }
      try {
        const response = await fetch(`http://127.0.0.1:${port}/login`, { method: 'POST' })
        const cookie = response.headers.get('set-cookie')
        if (cookie === null) throw new Error('no session cookie')
        return cookie.split(';')[0] as string
      } finally {
        server.close()
      }
    },
  }
}
