/**
 * Challenge keys: creation by the tagging authority (in a tagging thread; the TA secret comes back
 * sealed and is stored as such), listing with audit counters, deletion, and the setup an auditor
 * needs (`client_setup`, root descriptors, service signatures).
 */
import { randomUUID } from 'node:crypto'
import type { PrismaClient } from '@pinion/db'
import type { ProtocolName } from '@pinion/proofs'
import { NotFoundError } from '@pinion/service-kit'
import { deleteOwnedKey, findOwnedKey, insertKey, listKeys, type KeyRow } from '../store/keys.js'
import type { ThreadPool } from '../threads/thread-pool.js'
import type { CreatedKeyFrames } from '../threads/tasks.js'
import { b64 } from './base64.js'
import { byRootBytes } from './roots.js'
import type { Signer } from './signer.js'
import { COMPAT_SUITE, suiteByName, suiteName } from './suites.js'
import { findReadyRoots } from '../store/tags.js'

/** What key management uses. */
export interface KeyComponents {
  readonly prisma: PrismaClient
  /** The tagging threads (they hold the seal key). */
  readonly tagging: ThreadPool
  readonly signer: Signer
}

/** A create-key request. */
export interface NewKeyRequest {
  readonly userId: string
  readonly protocol: ProtocolName
  /** Default `c` of audits (bjo: V, the chunks per sentinel). */
  readonly challengeSize: number
  readonly suite?: string
  /** sw-priv / sw-pub: sectors per chunk. */
  readonly sectors?: number
  /** bjo: sentinels Q. */
  readonly sentinels?: number
}

/** What `POST /challenge-key` answers. */
export interface NewKeyResponse {
  readonly key_id: string
  readonly protocol: string
  readonly suite: string
  readonly challenge_size: number
  readonly client_setup: string
  readonly client_setup_signed?: string
  readonly owner_secret?: string
}

/** Creates a key in a tagging thread and stores it with its TA secret sealed. */
export async function createChallengeKey(
  components: KeyComponents,
  request: NewKeyRequest,
): Promise<NewKeyResponse> {
  const suite = suiteByName(request.protocol, request.suite)
  const keyId = randomUUID()
  const compat = suite === COMPAT_SUITE
  const frames = await components.tagging.run<CreatedKeyFrames>({
    kind: 'createKey',
    keyId,
    protocol: request.protocol,
    compat,
    ...(compat ? {} : { suite }),
    ...(request.sectors !== undefined ? { sectors: request.sectors } : {}),
    ...(request.protocol === 'bjo' ? { challengeSize: request.challengeSize } : {}),
    ...(request.sentinels !== undefined ? { sentinels: request.sentinels } : {}),
  })
  const row = await insertKey(components.prisma, {
    id: keyId,
    userId: request.userId,
    protocol: request.protocol,
    suite: frames.suite,
    challengeSize: request.challengeSize,
    tagging: 'server',
    clientSetup: frames.clientSetup,
    proverSetup: frames.proverSetup,
    encryptedSecret: frames.sealedSecret,
  })
  return {
    key_id: row.id,
    protocol: row.protocol,
    suite: suiteName(row.protocol, row.suite),
    challenge_size: row.challengeSize,
    ...setupFields(components.signer, row),
    ...(frames.ownerSecret ? { owner_secret: b64(frames.ownerSecret) } : {}),
  }
}

function setupFields(
  signer: Signer,
  row: Pick<KeyRow, 'clientSetup' | 'suite'>,
): { client_setup: string; client_setup_signed?: string } {
  if (row.clientSetup === null) return { client_setup: '' }
  return {
    client_setup: b64(row.clientSetup),
    // The compat suite's setup is the original's JSON, which has no signed form.
    ...(row.suite === COMPAT_SUITE
      ? {}
      : { client_setup_signed: b64(signer.sign('setup', row.clientSetup)) }),
  }
}

/** A user's keys with audit counters and their roots' tagging status. */
export async function listChallengeKeys(components: Pick<KeyComponents, 'prisma'>, userId: string) {
  const keys = await listKeys(components.prisma, userId)
  return keys.map((k) => ({
    key_id: k.id,
    protocol: k.protocol,
    suite: suiteName(k.protocol, k.suite),
    challenge_size: k.challengeSize,
    tagging: k.tagging,
    created_at: k.createdAt.toISOString(),
    audit_count: k.auditCount,
    blocks_audited: Number(k.blocksAudited),
    roots: k.tags.map((t) => ({
      root: t.root,
      status: t.status,
      progress: t.progress,
      chunk_count: t.chunkCount === null ? null : Number(t.chunkCount),
    })),
  }))
}

/**
 * Deletes a key, its sealed secret and all its tags.
 *
 * @throws NotFoundError when the user has no such key.
 */
export async function deleteChallengeKey(
  components: Pick<KeyComponents, 'prisma'>,
  userId: string,
  keyId: string,
): Promise<void> {
  if (!(await deleteOwnedKey(components.prisma, userId, keyId)))
    throw new NotFoundError('no such challenge key')
}

/**
 * A key of `userId`.
 *
 * @throws NotFoundError when it does not exist or is someone else's (no oracle).
 */
export async function requireOwnedKey(
  components: Pick<KeyComponents, 'prisma'>,
  userId: string,
  keyId: string,
): Promise<KeyRow> {
  const key = await findOwnedKey(components.prisma, userId, keyId)
  if (!key) throw new NotFoundError('no such challenge key')
  return key
}

/** The audit material of a key: its setup and each ready root's descriptor, in canonical order. */
export async function getSetup(components: KeyComponents, userId: string, keyId: string) {
  const key = await requireOwnedKey(components, userId, keyId)
  const roots = byRootBytes(await findReadyRoots(components.prisma, key.id))
  return {
    key_id: key.id,
    protocol: key.protocol,
    suite: suiteName(key.protocol, key.suite),
    challenge_size: key.challengeSize,
    tagging: key.tagging,
    ...setupFields(components.signer, key),
    service_public_key: b64(components.signer.publicKey),
    roots: roots.map((r) => ({
      root: r.root,
      chunk_count: Number(r.chunkCount),
      ...(r.descriptor
        ? {
            root_descriptor: b64(r.descriptor),
            root_descriptor_signed: b64(components.signer.sign('root', r.descriptor)),
          }
        : {}),
    })),
  }
}
