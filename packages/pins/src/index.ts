/**
 * `@pinion/pins`: the pin domain every service uses (pinning-api, upload, github-bot, the
 * dashboard's account API). Pin requests live in Postgres and reach the worker through JetStream
 * with a transactional outbox; see README.md for the outbox contract the sweeper follows.
 *
 * @example
 * ```ts
 * const pins = createPins({ database, messaging, logger, delegates, deadlineMs })
 * const row = await pins.createPin({ userId, ...parsePinRequest(req.body) })
 * res.status(202).json(pins.toPinStatus(row))
 * const page = await pins.listPins(userId, parseListQuery(searchParams))
 * ```
 */
export { cidKeyOf, maxCidLength } from './cid-key.js'
export { pinsSchema, type PinsConfig } from './config.js'
export {
  isDelegateAddress,
  parseDelegates,
  resolveDelegates,
  selectDelegates,
  type ResolveDelegatesOptions,
} from './delegates.js'
export { localPeerId, peerIdOfEd25519 } from './local-peer.js'
export { listPinRows, type PinPage } from './list-pins.js'
export {
  createPublishedMarker,
  publishRemoved,
  publishRequested,
  type OutboxComponents,
} from './outbox.js'
export { toPinStatus, type PinRow, type PinStatus } from './pin-status.js'
export { createPins, type NewPin, type Pins, type PinsComponents } from './pins.js'
export { createConfiguredPins, type ConfiguredPinsSettings } from './configured-pins.js'
export {
  MetaSchema,
  OriginsSchema,
  PinRequestSchema,
  describeIssues,
  maxCidFilter,
  maxListLimit,
  maxMetaKeys,
  maxNameLength,
  parseListQuery,
  parsePinRequest,
  pinStatusValues,
  textMatchValues,
  type PinInput,
  type PinListFilters,
  type PinStatusValue,
  type TextMatch,
} from './schemas.js'
export { parseTimestamp, type TimestampBound } from './timestamps.js'
