/**
 * Pinion's database: the Prisma 7 schema (prisma/schema/*.prisma), its migrations and the Wasm
 * runner that applies them, the client factory every service uses (fast 503s while Postgres is
 * down, readiness check, error translation), and repositories for the shared entities. Feature
 * packages add their own repositories in the same style: plain functions taking a `DbClient`
 * (the root client or a transaction) first.
 *
 * @example
 * ```ts
 * import { createDatabase, migrateDatabase, createUser, nextPinCreated } from '@pinion/db'
 * await migrateDatabase(config.DATABASE_URL, { logger })
 * const db = createDatabase({ url: config.DATABASE_URL, logger })
 * const user = await createUser(db.prisma, { email: 'ada@example.org', displayName: 'Ada' })
 * await db.prisma.$transaction(async (tx) => {
 *   const created = await nextPinCreated(tx, user.id)
 *   await tx.pin.create({ data: { userId: user.id, cid, cidKey, created } })
 * })
 * ```
 */
export { createDatabase, type Database, type DatabaseOptions } from './client.js'
export { databaseSchema, type DatabaseConfig } from './config.js'
export { isUuid, type DbClient, type Tx } from './db-client.js'
export { isDatabaseUnavailableError, isUniqueViolation, translateDatabaseError } from './errors.js'
export {
  MigrationError,
  createMigration,
  migrateDatabase,
  type CreateMigrationOptions,
  type CreatedMigration,
  type MigrateOptions,
} from './migrate.js'
export { SchemaEnginePanic } from './schema-engine.js'
export { redactDatabaseUrl } from './database-url.js'
export { advisoryLockKeys, tryWithAdvisoryLock } from './advisory-lock.js'
export { createBatcher, type Batcher, type BatcherOptions } from './batch.js'
export {
  Prisma,
  PrismaClient,
  type ApiToken,
  type CidReference,
  type GithubInstallation,
  type GithubInstallationRepository,
  type Identity,
  type Pin,
  type PinClock,
  type ProverKey,
  type ProverTag,
  type ProverTagBatch,
  type Session,
  type UsageCounter,
  type User,
  type WebhookEvent,
} from './generated/prisma/client.js'
export {
  PinSource,
  PinStatus,
  ProverTagStatus,
  ProverTagging,
  UserRole,
  WebhookEventStatus,
} from './generated/prisma/enums.js'
export {
  createUser,
  disableUser,
  enableUser,
  findUserByEmail,
  findUserById,
  listUsers,
  updateUser,
  type NewUser,
  type UserPatch,
} from './repositories/users.js'
export {
  deleteIdentity,
  findIdentity,
  listIdentities,
  upsertIdentity,
  type IdentityInput,
} from './repositories/identities.js'
export {
  createApiToken,
  findActiveApiToken,
  listApiTokens,
  listRevokedApiTokensSince,
  revocationPollOverlapMs,
  revokeApiToken,
  touchApiToken,
  type NewApiToken,
  type RevocationsPage,
} from './repositories/api-tokens.js'
export { nextPinCreated } from './repositories/pin-clock.js'
export {
  attemptsWait,
  clearAttempts,
  pruneAttempts,
  recordAttempt,
} from './repositories/attempt-windows.js'
export {
  acquireCidReference,
  cidReferenceCount,
  releaseCidReference,
} from './repositories/cid-references.js'
export { addUsage, addUsageBatch, sumUsage } from './repositories/usage.js'
export {
  mergeUsageDeltas,
  usagePeriodStart,
  type UsageDelta,
  type UsageMetric,
  type UsageRowDelta,
} from './usage-period.js'
