/**
 * The key material derived from PROVER_SECRETS_KEY: the AES-256-GCM key that seals TA secrets at
 * rest (given only to the tagging threads) and the service's Ed25519 signing key (storage-proofs.md
 * §2.8), which signs public setups and root descriptors so auditors can pin the service.
 */
import { createPrivateKey, createPublicKey, hkdfSync } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import type { ProverConfig } from '../config.js'

/** Keys derived from the master secret. */
export interface ServiceKeys {
  /** 32 bytes; AES-256-GCM key of sealed TA secrets. Hand it to the tagging threads only. */
  readonly sealKey: Uint8Array
  /** 32-byte Ed25519 secret key the service signs setups and descriptors with. */
  readonly signingSecret: Uint8Array
  /** Its 32-byte public key, which auditors pin (`GET /prover/service-key`). */
  readonly signingPublic: Uint8Array
}

/**
 * Decodes a master key given as 64 hex digits or base64/base64url of 32 bytes.
 *
 * @throws RangeError (naming the variable, never the value) for anything else.
 */
export function parseMasterKey(text: string): Uint8Array {
  const trimmed = text.trim()
  const bytes = /^[0-9a-fA-F]{64}$/.test(trimmed)
    ? Buffer.from(trimmed, 'hex')
    : Buffer.from(trimmed.replaceAll('-', '+').replaceAll('_', '/'), 'base64')
  if (bytes.length !== 32)
    throw new RangeError('PROVER_SECRETS_KEY must be 32 bytes, as 64 hex digits or base64')
  return new Uint8Array(bytes)
}

/** Reads the master key from PROVER_SECRETS_KEY or the file PROVER_SECRETS_KEY_FILE names. */
export async function loadMasterKey(
  config: Pick<ProverConfig, 'PROVER_SECRETS_KEY' | 'PROVER_SECRETS_KEY_FILE'>,
): Promise<Uint8Array> {
  if (config.PROVER_SECRETS_KEY !== undefined) return parseMasterKey(config.PROVER_SECRETS_KEY)
  if (config.PROVER_SECRETS_KEY_FILE === undefined)
    throw new RangeError('PROVER_SECRETS_KEY or PROVER_SECRETS_KEY_FILE is required')
  return parseMasterKey(await readFile(config.PROVER_SECRETS_KEY_FILE, 'utf8'))
}

function derive(master: Uint8Array, purpose: string): Uint8Array {
  return new Uint8Array(
    hkdfSync('sha256', master, new Uint8Array(0), `pinion/v1/prover/${purpose}`, 32),
  )
}

// PKCS#8 wrapping of a raw 32-byte Ed25519 seed (RFC 8410), so node:crypto can derive its public key.
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex')

/** Derives the seal key and the signing key pair from the master key (HKDF-SHA256, one label each). */
export function deriveServiceKeys(master: Uint8Array): ServiceKeys {
  const signingSecret = derive(master, 'signing')
  const privateKey = createPrivateKey({
    key: Buffer.concat([ED25519_PKCS8_PREFIX, signingSecret]),
    format: 'der',
    type: 'pkcs8',
  })
  const jwk = createPublicKey(privateKey).export({ format: 'jwk' })
  return {
    sealKey: derive(master, 'seal'),
    signingSecret,
    signingPublic: new Uint8Array(Buffer.from(jwk.x!, 'base64url')),
  }
}
