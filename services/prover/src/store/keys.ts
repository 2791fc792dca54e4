/**
 * Prover keys in Postgres. The proving path reads keys through {@link findKeyForProving}, whose
 * selection leaves the sealed TA secret out; only {@link findKeyForTagging} reads it.
 */
import { isUuid, type DbClient, type ProverTagging } from '@pinion/db'

/** A key as its owner sees it (never the sealed secret). */
export interface KeyRow {
  readonly id: string
  readonly userId: string
  readonly protocol: string
  readonly suite: number
  readonly challengeSize: number
  readonly tagging: ProverTagging
  readonly clientSetup: Uint8Array | null
  readonly proverSetup: Uint8Array
  readonly auditCount: number
  readonly blocksAudited: bigint
  readonly createdAt: Date
}

const publicColumns = {
  id: true,
  userId: true,
  protocol: true,
  suite: true,
  challengeSize: true,
  tagging: true,
  clientSetup: true,
  proverSetup: true,
  auditCount: true,
  blocksAudited: true,
  createdAt: true,
} as const

/** A new key row: its public columns plus the sealed TA secret (null for client-tagged keys). */
export type NewKey = Omit<KeyRow, 'auditCount' | 'blocksAudited' | 'createdAt'> & {
  readonly encryptedSecret: Uint8Array | null
}

/** Inserts a key. */
export async function insertKey(db: DbClient, key: NewKey): Promise<KeyRow> {
  return db.proverKey.create({
    data: {
      ...key,
      clientSetup: key.clientSetup === null ? null : new Uint8Array(key.clientSetup),
      proverSetup: new Uint8Array(key.proverSetup),
      encryptedSecret: key.encryptedSecret === null ? null : new Uint8Array(key.encryptedSecret),
    },
    select: publicColumns,
  })
}

/** A user's keys with their roots, newest first. */
export async function listKeys(db: DbClient, userId: string) {
  return db.proverKey.findMany({
    where: { userId },
    orderBy: { createdAt: 'desc' },
    select: {
      ...publicColumns,
      tags: {
        select: { root: true, status: true, progress: true, chunkCount: true },
        orderBy: { root: 'asc' },
      },
    },
  })
}

/** A key of `userId`, or null when it does not exist or is someone else's. */
export async function findOwnedKey(
  db: DbClient,
  userId: string,
  keyId: string,
): Promise<KeyRow | null> {
  if (!isUuid(keyId)) return null
  return db.proverKey.findFirst({ where: { id: keyId, userId }, select: publicColumns })
}

/** Any key by id (e.g. to tell "taken" from "free" when registering). */
export async function findKey(db: DbClient, keyId: string): Promise<KeyRow | null> {
  if (!isUuid(keyId)) return null
  return db.proverKey.findUnique({ where: { id: keyId }, select: publicColumns })
}

/** Deletes a key of `userId` with its tags; false when there was none. */
export async function deleteOwnedKey(db: DbClient, userId: string, keyId: string) {
  if (!isUuid(keyId)) return false
  const { count } = await db.proverKey.deleteMany({ where: { id: keyId, userId } })
  return count > 0
}

/** What the proving path may read of a key: public frames only, never the sealed TA secret. */
export async function findKeyForProving(db: DbClient, keyId: string) {
  if (!isUuid(keyId)) return null
  return db.proverKey.findUnique({
    where: { id: keyId },
    select: { id: true, protocol: true, suite: true, proverSetup: true },
  })
}

/** What the tagging authority reads: the public setup and the sealed TA secret. */
export async function findKeyForTagging(db: DbClient, keyId: string) {
  return db.proverKey.findUnique({
    where: { id: keyId },
    select: { id: true, suite: true, clientSetup: true, encryptedSecret: true },
  })
}

/** Counts one answered challenge of `chunks` chunks. */
export async function recordAudit(db: DbClient, keyId: string, chunks: number): Promise<void> {
  await db.proverKey.update({
    where: { id: keyId },
    data: { auditCount: { increment: 1 }, blocksAudited: { increment: chunks } },
  })
}
