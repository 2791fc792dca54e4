import type { Database } from '@pinion/db'
import { cidKeyOf, type Pins } from '@pinion/pins'
import { isAppError } from '@pinion/service-kit'
import type { GithubPins } from '../domain/pins.js'

/**
 * github-bot's pins on `@pinion/pins`: rows with source `github` and the installation, created
 * in `pinning` (the content is already in the blockstore), with the user's quota checks and the
 * outbox to the worker; removal releases the CID reference. `describe` reads a pin by id alone,
 * because the pin-status consumer learns only the id.
 */
export function createGithubPins(pins: Pins, database: Pick<Database, 'prisma'>): GithubPins {
  return {
    remainingStoredBytes: (userId) => pins.remainingStoredBytes(userId),
    async requestPin(request) {
      const cidKey = cidKeyOf(request.cid)
      if (cidKey === undefined) throw new RangeError(`not a CID: ${request.cid}`)
      const row = await pins.createPin({
        userId: request.userId,
        cid: request.cid,
        cidKey,
        name: request.name.slice(0, 255),
        meta: request.meta,
        origins: [],
        source: 'github',
        status: 'pinning',
        githubInstallationId: request.installationId,
      })
      return { pinId: row.id }
    },
    async describe(pinId) {
      const pin = await database.prisma.pin.findUnique({ where: { id: pinId } })
      if (pin === null || pin.deletedAt !== null) return undefined
      return { status: pin.status, source: pin.source }
    },
    async removePin(userId, pinId) {
      try {
        await pins.deletePin(userId, pinId)
      } catch (error) {
        // Already deleted (by its user, or an earlier attempt): nothing left to do.
        if (isAppError(error) && error.reason === 'NOT_FOUND') return
        throw error
      }
    },
  }
}
