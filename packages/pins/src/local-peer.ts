/**
 * The identity of a Pinion that runs without Kubo (local blockstore). It has no libp2p node of
 * its own yet, but PinStatus must name 1–20 delegates ending in `/p2p/<peer id>`, so the local
 * node gets a stable Ed25519 identity, kept next to its blocks: the same peer id across restarts,
 * and the key a future embedded libp2p node would use.
 */
import { generateKeyPairSync } from 'node:crypto'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { base58btc } from 'multiformats/bases/base58'

interface StoredIdentity {
  id: string
  privateKeyPem: string
}

/** The peer id stored in `<directory>/peer-identity.json`, created on first use. */
export async function localPeerId(directory: string): Promise<string> {
  const file = join(directory, 'peer-identity.json')
  const existing = await readIdentity(file)
  if (existing !== undefined) return existing.id
  const { publicKey, privateKey } = generateKeyPairSync('ed25519')
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x as string, 'base64url')
  const identity: StoredIdentity = {
    id: peerIdOfEd25519(raw),
    privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
  }
  await mkdir(directory, { recursive: true })
  try {
    await writeFile(file, `${JSON.stringify(identity)}\n`, { flag: 'wx', mode: 0o600 })
    return identity.id
  } catch (error) {
    // Another process created it first: use theirs.
    const raced = await readIdentity(file)
    if (raced !== undefined) return raced.id
    throw error
  }
}

/**
 * A libp2p peer id of an Ed25519 public key: the identity multihash of its protobuf encoding
 * (KeyType Ed25519 = 1), in base58btc (`12D3KooW…`), as Kubo prints it.
 */
export function peerIdOfEd25519(publicKey: Uint8Array): string {
  if (publicKey.length !== 32) throw new RangeError('an Ed25519 public key has 32 bytes')
  const protobuf = Uint8Array.from([0x08, 0x01, 0x12, 0x20, ...publicKey])
  const multihash = Uint8Array.from([0x00, protobuf.length, ...protobuf])
  return base58btc.encode(multihash).slice(1)
}

async function readIdentity(file: string): Promise<StoredIdentity | undefined> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<StoredIdentity>
    return typeof parsed.id === 'string' && typeof parsed.privateKeyPem === 'string'
      ? (parsed as StoredIdentity)
      : undefined
  } catch {
    return undefined
  }
}
