import type { PinRecord, PinRecords, SweepRecords } from '../domain/pin-records.js'

/** A stored row with the outbox columns the sweeper reads. */
export interface MemoryPin extends PinRecord {
  publishedAt: Date | null
  removalPublishedAt: Date | null
  updatedAt: Date
}

/**
 * {@link PinRecords} and {@link SweepRecords} in memory, with the same conditional transitions
 * as the Postgres adapter: the unit tests' seam (the integration tests run the real one).
 */
export function createMemoryPinRecords(now: () => number = Date.now) {
  const pins = new Map<string, MemoryPin>()
  const references = new Map<string, number>()
  const pending = (pin: MemoryPin | undefined): pin is MemoryPin =>
    pin !== undefined &&
    pin.deletedAt === null &&
    pin.replacedById === null &&
    (pin.status === 'queued' || pin.status === 'pinning')
  const update = (id: string, patch: Partial<MemoryPin>): MemoryPin => {
    const next = { ...(pins.get(id) as MemoryPin), ...patch, updatedAt: new Date(now()) }
    pins.set(id, next)
    return next
  }
  const records: PinRecords & SweepRecords = {
    async find(id) {
      return pins.get(id)
    },
    async startPinning(id, defaultDeadline) {
      const pin = pins.get(id)
      if (!pending(pin)) return undefined
      const deadlineAt = pin.deadlineAt ?? defaultDeadline
      const moved = update(id, { status: 'pinning', deadlineAt })
      return { pin: { ...moved, deadlineAt }, previous: pin.status }
    },
    async touch(id) {
      if (pending(pins.get(id))) update(id, {})
    },
    async markPinned(id, dagSize) {
      return pending(pins.get(id)) ? update(id, { status: 'pinned', dagSize }) : undefined
    },
    async markFailed(id, info) {
      return pending(pins.get(id)) ? update(id, { status: 'failed', info }) : undefined
    },
    async unpinIfUnreferenced(cidKey, unpin) {
      if ((references.get(cidKey) ?? 0) > 0) return false
      await unpin()
      return true
    },
    async unpublishedRequests(before, limit) {
      return [...pins.values()]
        .filter((pin) => pending(pin) && pin.publishedAt === null && pin.updatedAt < before)
        .slice(0, limit)
    },
    async unpublishedRemovals(before, limit) {
      return [...pins.values()]
        .filter(
          (pin) =>
            pin.deletedAt !== null && pin.removalPublishedAt === null && pin.deletedAt < before,
        )
        .slice(0, limit)
    },
    async stalled(before, limit) {
      return [...pins.values()]
        .filter((pin) => pending(pin) && pin.publishedAt !== null && pin.updatedAt < before)
        .slice(0, limit)
    },
    async markRequestPublished(id, attempt) {
      const pin = pins.get(id) as MemoryPin
      update(id, { publishedAt: new Date(now()), attempts: Math.max(pin.attempts, attempt) })
    },
    async markRemovalPublished(id) {
      update(id, { removalPublishedAt: new Date(now()) })
    },
    async failExpired(at, info, limit) {
      return [...pins.values()]
        .filter((pin) => pending(pin) && pin.deadlineAt !== null && pin.deadlineAt < at)
        .slice(0, limit)
        .map((pin) => update(pin.id, { status: 'failed', info }))
    },
  }
  return {
    records,
    pins,
    references,
    /** Adds a row (queued, unpublished, referenced) with `patch` over the defaults. */
    add(patch: Partial<MemoryPin> & { id: string; cid: string }): MemoryPin {
      const pin: MemoryPin = {
        userId: 'user-1',
        cidKey: patch.cid,
        status: 'queued',
        origins: [],
        deletedAt: null,
        replacedById: null,
        deadlineAt: null,
        dagSize: null,
        info: null,
        attempts: 0,
        created: new Date(now()),
        publishedAt: null,
        removalPublishedAt: null,
        updatedAt: new Date(now()),
        ...patch,
      }
      pins.set(pin.id, pin)
      references.set(pin.cidKey, (references.get(pin.cidKey) ?? 0) + 1)
      return pin
    },
  }
}
