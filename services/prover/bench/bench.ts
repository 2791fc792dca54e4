// `pnpm --filter @pinion/prover bench`: the service's overhead over the bare library, measured in
// the same run on the same content. For each protocol: tagging throughput through `POST /tag`
// (DAG walk, thread hop, Postgres writes) against `tagRoot` in-process, and one `POST /prover/prove`
// at c = 460 (batch loads, thread hop, HTTP) against `prove` in-process. Needs Postgres and NATS
// (as the integration tests do); bounded to about a minute.
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import {
  buildChallenge,
  collectBlocks,
  createChunkReader,
  createKey,
  prove,
  tagRoot,
  tagSource,
  type BlockInput,
  type OwnerSecret,
  type PublicSetup,
  type RootDescriptor,
} from '@pinion/proofs'
import { createAuditor } from '@pinion/prover-client'
import {
  api,
  b64,
  createKey as createServiceKey,
  proveRaw,
  startProver,
  tag,
} from '../test/helpers.js'

const harness = await startProver({ PROVER_MAX_CHALLENGE: '460', PROVER_PROVE_RATE_PER_KEY: '100' })
const rows: string[][] = []
try {
  const owner = await harness.user()
  const plan = [
    { protocol: 'sw-priv' as const, suite: undefined, bytes: 1 << 20 },
    { protocol: 'ateniese' as const, suite: 'rsa-2048', bytes: 4 << 20 },
  ]
  for (const { protocol, suite, bytes } of plan) {
    process.stderr.write(`running ${protocol}…\n`)
    const root = await harness.pinFile(owner.id, new Uint8Array(randomBytes(bytes)))
    const blocks: BlockInput[] = []
    for await (const node of harness.deps.blockstore.walkDag(root))
      blocks.push({ cid: node.cid, bytes: await harness.deps.blockstore.get(node.cid) })

    // Baseline: the library in-process.
    const keyId = new TextEncoder().encode(`bench-${protocol}`)
    const local = await createKey(protocol, {
      keyId,
      ...(suite ? { suite: 2 } : {}),
      safePrime: fixturePrimes(),
    })
    const { manifest, source } = await collectBlocks(root, blocks, suite ? 8192 : 1984)
    let start = performance.now()
    const tagged = await tagRoot({
      keyId,
      taSecret: local.taSecret,
      publicSetup: local.publicSetup,
      manifest,
      blocks: source,
    })
    const libTagMs = performance.now() - start
    const audit = {
      keyId,
      publicSetup: local.publicSetup as PublicSetup,
      ...(local.ownerSecret ? { ownerSecret: local.ownerSecret as OwnerSecret } : {}),
      descriptors: [tagged.descriptor as RootDescriptor],
    }
    const c = Math.min(460, manifest.chunkCount)
    const libChallenge = buildChallenge(audit, { c })
    start = performance.now()
    await prove(
      local.proverSetup,
      [
        {
          descriptor: tagged.descriptor,
          tags: tagSource(local.proverSetup, tagged.descriptor, tagged.tagBatches),
          chunks: createChunkReader(manifest, source),
        },
      ],
      libChallenge.challenge,
    )
    const libProveMs = performance.now() - start

    // The service, through HTTP.
    const key = await createServiceKey(harness, owner.token, {
      protocol,
      ...(suite ? { suite } : {}),
    })
    start = performance.now()
    await tag(harness, owner.token, key.key_id, root, 300_000)
    const svcTagMs = performance.now() - start
    const setup = (await api(harness, owner.token).get(`/prover/api/v1/setup?key_id=${key.key_id}`))
      .body
    const auditor = createAuditor({
      keyId: key.key_id,
      clientSetup: setup.client_setup,
      rootDescriptors: [setup.roots[0].root_descriptor],
      ...(key.owner_secret ? { ownerSecret: key.owner_secret } : {}),
    })
    // Two rounds: the first runs cold code in the proving thread (and loads the tag batches).
    const round = async () => {
      const built = auditor.buildChallenge({ c })
      const began = performance.now()
      const res = await proveRaw(harness, {
        key_id: key.key_id,
        roots: [String(root)],
        challenge: b64(built.challenge),
      })
      const ms = performance.now() - began
      const ok = await built.validator.verify(built.challenge, res.body)
      if (!ok.ok) throw new Error(`${protocol}: the service's proof does not verify`)
      return { ms, bytes: res.body.length as number }
    }
    const cold = await round()
    const warm = await round()
    const mb = manifest.totalBytes / 1e6
    rows.push([
      `${protocol}${suite ? ` ${suite}` : ''}`,
      `${mb.toFixed(1)} MB`,
      (mb / (libTagMs / 1000)).toFixed(2),
      (mb / (svcTagMs / 1000)).toFixed(2),
      `${(svcTagMs / libTagMs).toFixed(2)}×`,
      String(c),
      libProveMs.toFixed(0),
      `${cold.ms.toFixed(0)} / ${warm.ms.toFixed(0)}`,
      `${(warm.ms / libProveMs).toFixed(2)}×`,
      String(warm.bytes),
    ])
  }
} finally {
  await harness.stop()
}

// The frozen safe primes the tests use: key generation is not what is measured.
function fixturePrimes(): (bits: number) => bigint {
  const { bits1024 } = JSON.parse(
    readFileSync(new URL('../test/fixtures/safe-primes.json', import.meta.url), 'utf8'),
  ) as { bits1024: string[] }
  let next = 0
  return () => BigInt(`0x${bits1024[next++ % bits1024.length]}`)
}

const header = [
  'protocol',
  'DAG',
  'tag MB/s (library)',
  'tag MB/s (service)',
  'tag time service ÷ library',
  'c',
  'prove ms (library)',
  'prove ms (service, HTTP; cold / warm)',
  'warm time ÷ library',
  'proof B',
]
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')
console.log(line(header))
console.log(widths.map((w) => '-'.repeat(w)).join('-|-'))
for (const row of rows) console.log(line(row))
console.log(
  `\nNode ${process.version}; baseline = @pinion/proofs in-process on the same blocks in the same run.`,
)
