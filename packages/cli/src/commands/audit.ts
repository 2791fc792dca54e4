import { readFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join } from 'node:path'
import {
  buildCompatChallenge,
  createAuditor,
  SetupError,
  type AuditChallenge,
} from '@pinion/prover-client'
import type { Command } from 'commander'
import { CID } from 'multiformats/cid'
import { loadAuditState, saveAuditState } from '../audit-state.js'
import { CliError, type CliIo } from '../io.js'

interface AuditOptions {
  key: string
  root: string[]
  server?: string
  token?: string
  c?: string
  ownerSecret?: string
  serviceKey?: string
  state?: string
}

interface SetupResponse {
  protocol: string
  suite: string
  challenge_size: number
  client_setup: string
  client_setup_signed?: string
  roots: {
    root: string
    chunk_count: number
    root_descriptor?: string
    root_descriptor_signed?: string
  }[]
}

const collect = (value: string, previous: string[]) => [...previous, value]

/**
 * `pinion audit`: one full audit round against a prover — fetch the key's setup, build a fresh
 * challenge locally, ask `POST /prover/prove`, verify the proof locally. Exits 1 when the proof does
 * not verify (or cannot be had), so it fits in cron jobs and CI.
 */
export function registerAudit(program: Command, io: CliIo): void {
  program
    .command('audit')
    .description(
      'audit a prover: challenge it for a proof of storage and verify the answer locally',
    )
    .requiredOption('--key <id>', 'the challenge key id')
    .option(
      '--root <cid>',
      'a root to challenge (repeat for several; order counts); default: all',
      collect,
      [],
    )
    .option('--server <url>', 'the Pinion URL (default: $PINION_URL or http://localhost:8080)')
    .option('--token <jwt>', 'an API token with the prover scope (default: $PINION_TOKEN)')
    .option('--c <n>', "chunks to challenge (default: the key's challenge_size)")
    .option('--owner-secret <secret>', 'sw-priv/ateniese/bjo: the owner_secret, as base64 or @file')
    .option(
      '--service-key <key>',
      "the service's Ed25519 key (base64), pinned: setups must be signed by it",
    )
    .option(
      '--state <file>',
      'bjo: where used sentinels are counted (default: ~/.config/pinion/audit-state.json)',
    )
    .action(async (options: AuditOptions) => {
      const server = (options.server ?? io.env.PINION_URL ?? 'http://localhost:8080').replace(
        /\/+$/,
        '',
      )
      const token = options.token ?? io.env.PINION_TOKEN
      if (!token) throw new CliError('an API token is needed: --token or PINION_TOKEN', 2)
      const setup = await getSetup(server, token, options.key)
      const roots = pickRoots(setup, options.root)
      const c = options.c === undefined ? undefined : Number(options.c)
      if (c !== undefined && (!Number.isSafeInteger(c) || c < 1))
        throw new CliError('--c must be a positive integer', 2)
      const statePath = options.state ?? join(homedir(), '.config', 'pinion', 'audit-state.json')
      const built = await challenge(setup, roots, { ...options, c }, statePath)
      const res = await fetch(`${server}/prover/prove`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          key_id: options.key,
          roots: roots.map((r) => r.root),
          challenge: Buffer.from(built.challenge).toString('base64'),
        }),
      })
      const body = new Uint8Array(await res.arrayBuffer())
      if (!res.ok)
        throw new CliError(
          `audit FAILED: the prover answered ${res.status}: ${Buffer.from(body).toString().slice(0, 300)}`,
        )
      const result = await built.validator.verify(built.challenge, body)
      if (!result.ok)
        throw new CliError(`audit FAILED: the proof does not verify (${result.reason})`)
      io.out(
        `audit ok: key ${options.key} (${setup.protocol}, ${setup.suite}), ${roots.length} root(s), proof ${body.length} bytes`,
      )
    })
}

async function getSetup(server: string, token: string, keyId: string): Promise<SetupResponse> {
  const res = await fetch(`${server}/prover/api/v1/setup?key_id=${encodeURIComponent(keyId)}`, {
    headers: { authorization: `Bearer ${token}` },
  })
  if (!res.ok)
    throw new CliError(
      `cannot read the key's setup: ${res.status} ${(await res.text()).slice(0, 300)}`,
    )
  return (await res.json()) as SetupResponse
}

function pickRoots(setup: SetupResponse, wanted: readonly string[]) {
  if (setup.roots.length === 0) throw new CliError('this key has no tagged root yet')
  if (wanted.length === 0) return setup.roots
  return wanted.map((root) => {
    const found = setup.roots.find((r) => r.root === root)
    if (!found) throw new CliError(`root ${root} is not tagged under this key`)
    return found
  })
}

async function challenge(
  setup: SetupResponse,
  roots: SetupResponse['roots'],
  options: Omit<AuditOptions, 'c'> & { c: number | undefined },
  statePath: string,
): Promise<AuditChallenge> {
  const c = options.c ?? setup.challenge_size
  const total = roots.reduce((n, r) => n + r.chunk_count, 0)
  if (setup.suite === 'bn254-compat')
    return buildCompatChallenge(
      setup.client_setup,
      roots.map((r) => ({ cid: CID.parse(r.root).bytes, count: r.chunk_count })),
      Math.min(c, total),
    )
  const pinned = options.serviceKey !== undefined
  const ownerSecret =
    options.ownerSecret === undefined ? undefined : await secret(options.ownerSecret)
  try {
    const auditor = createAuditor({
      keyId: options.key,
      clientSetup: pinned ? (setup.client_setup_signed ?? '') : setup.client_setup,
      rootDescriptors: roots.map(
        (r) => (pinned ? r.root_descriptor_signed : r.root_descriptor) ?? '',
      ),
      ...(pinned
        ? { servicePublicKey: new Uint8Array(Buffer.from(options.serviceKey!, 'base64')) }
        : {}),
      ...(ownerSecret ? { ownerSecret } : {}),
    })
    if (auditor.protocol !== 'bjo') return auditor.buildChallenge({ c: Math.min(c, total) })
    if (roots.length !== 1) throw new CliError('bjo audits one root at a time: give --root', 2)
    const stateKey = `${options.key}/${roots[0]!.root}`
    const state = await loadAuditState(statePath)
    const built = auditor.buildChallenge({ c: 1, bjoState: { used: state[stateKey] ?? 0 } })
    // The sentinel counts as used before the challenge leaves (storage-proofs.md §7).
    await saveAuditState(statePath, { ...state, [stateKey]: built.bjoState!.used })
    return built
  } catch (error) {
    if (error instanceof SetupError)
      throw new CliError(`audit FAILED: ${error.reason}: ${error.message}`)
    if (error instanceof RangeError) throw new CliError(`audit FAILED: ${error.message}`)
    throw error
  }
}

async function secret(value: string): Promise<string> {
  return value.startsWith('@') ? (await readFile(value.slice(1), 'utf8')).trim() : value
}
