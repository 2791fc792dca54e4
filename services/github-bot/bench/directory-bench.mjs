// Directory pinning benchmark: a repository tarball (BENCH_FILES files of BENCH_FILE_KIB KiB,
// random bytes, in nested folders) turned into the UnixFS directory of one configured path,
// against the baseline of only gunzipping and parsing the same tarball in the same run (what any
// tarball consumer must pay). Prints both throughputs and the ratio; blocks go to a sink that
// counts them, so the figure is the bot's own work (tar → UnixFS DAG), not disk speed.
//
//   pnpm --filter @pinion/github-bot bench          (builds first)
//   BENCH_FILES=500 BENCH_FILE_KIB=256 node bench/directory-bench.mjs
import { randomBytes } from 'node:crypto'
import { Readable } from 'node:stream'
import { createGunzip } from 'node:zlib'
import { createUnixfsImporter } from '@pinion/unixfs'
import { extract } from 'tar-stream'
import { directoryEntries } from '../dist/domain/tarball-entries.js'
import { repositoryTarball } from '../dist/testing/tarball.js'

const files = Number(process.env.BENCH_FILES ?? 2000)
const fileKib = Number(process.env.BENCH_FILE_KIB ?? 64)
const since = (start) => Number(process.hrtime.bigint() - start) / 1e9
const MiB = 1024 * 1024

const tree = Array.from({ length: files }, (_, index) => ({
  path: `site/public/d${index % 37}/e${index % 11}/file-${index}.bin`,
  content: randomBytes(fileKib * 1024),
}))
const tarball = await repositoryTarball(tree, { owner: 'bench', repo: 'site', sha: 'b'.repeat(40) })
const contentMiB = (files * fileKib) / 1024
console.log(
  `tarball: ${files} files, ${contentMiB.toFixed(1)} MiB of content, ${(tarball.length / MiB).toFixed(1)} MiB gzipped`,
)

async function baseline() {
  const start = process.hrtime.bigint()
  const archive = extract()
  Readable.from([tarball]).pipe(createGunzip()).pipe(archive)
  let bytes = 0
  for await (const entry of archive) for await (const chunk of entry) bytes += chunk.length
  return { seconds: since(start), bytes }
}

async function pinDirectory() {
  let blocks = 0
  const sink = {
    putMany: async (source) => {
      for await (const _ of source) blocks += 1
      return { blocks, bytes: 0 }
    },
  }
  const unixfs = createUnixfsImporter({ blockstore: sink })
  const scan = { found: false, files: 0, skipped: 0 }
  const start = process.hrtime.bigint()
  const summary = await unixfs.addAll(directoryEntries([tarball], 'site/public', scan), {
    wrap: 'always',
  })
  return { seconds: since(start), cid: summary.cid.toString(), files: scan.files, blocks }
}

// One warm-up of each, then the measured runs.
await baseline()
await pinDirectory()
const base = await baseline()
const pinned = await pinDirectory()
const rate = (seconds) => (contentMiB / seconds).toFixed(1)
console.log(
  `baseline gunzip + tar parse: ${base.seconds.toFixed(2)} s, ${rate(base.seconds)} MiB/s`,
)
console.log(
  `tarball → UnixFS directory:  ${pinned.seconds.toFixed(2)} s, ${rate(pinned.seconds)} MiB/s (${pinned.files} files, ${pinned.blocks} blocks, ${pinned.cid})`,
)
console.log(`ratio: ${(base.seconds / pinned.seconds).toFixed(2)} of the baseline's throughput`)
