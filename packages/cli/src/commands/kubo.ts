import type { Command } from 'commander'
import { z } from 'zod'
import { blockstoreConfig } from '../config.js'
import { parseDuration } from '../duration.js'
import { CliError, type CliIo } from '../io.js'
import { mirrorLoop, mirrorPins, type MirrorComponents, type MirrorResult } from '../kubo-mirror.js'
import { createKuboMirrorNode } from '../kubo-node.js'

interface MirrorOptions {
  from: string
  to: string
  prune: boolean
  every?: string
  pinTimeout: string
}

const RpcUrlSchema = z.url({ protocol: /^https?$/ })

function rpcUrl(option: string, value: string): string {
  if (!RpcUrlSchema.safeParse(value).success)
    throw new CliError(`${option} must be an http(s) URL of a Kubo RPC API`, 2)
  return value
}

function milliseconds(option: string, text: string): number {
  const value = parseDuration(text)
  if (value === undefined) throw new CliError(`${option} cannot be "never"`, 2)
  return value
}

function summary(result: MirrorResult): string {
  if (result.sameNode) return 'source and target are the same node; nothing to mirror'
  return `copied ${result.copied.length}, pruned ${result.pruned.length}, failed ${result.failed.length}`
}

/** Until SIGTERM/SIGINT: the sidecar's loop. */
async function runForever(
  components: MirrorComponents,
  io: CliIo,
  intervalMs: number,
  init: {
    prune: boolean
    pinDeadlineMs: number
  },
) {
  const controller = new AbortController()
  const stop = () => controller.abort()
  process.once('SIGTERM', stop)
  process.once('SIGINT', stop)
  try {
    await mirrorLoop(components, {
      ...init,
      intervalMs,
      signal: controller.signal,
      onPass: ({ result, error }) => {
        // A pass that changed nothing is routine; one that did is worth a line at info.
        const changed =
          result && result.copied.length + result.pruned.length + result.failed.length > 0
        if (result) io.logger[changed ? 'info' : 'debug']({ ...result }, summary(result))
        else io.logger.error({ err: error }, 'mirror pass failed; retrying after the interval')
      },
    })
  } finally {
    process.off('SIGTERM', stop)
    process.off('SIGINT', stop)
  }
}

/**
 * `pinion kubo mirror`: keeps a follower Kubo replica's pins equal to the primary's (one pass, or
 * every `--every` until stopped). The Helm chart runs it beside each follower replica.
 */
export function registerKubo(program: Command, io: CliIo): void {
  program
    .command('kubo')
    .description('Kubo nodes of a deployment')
    .command('mirror')
    .description(
      'copy every recursive pin of one Kubo node to another as verified CARs, and unpin on the ' +
        'target what the source no longer pins',
    )
    .requiredOption('--from <url>', 'RPC URL of the source (primary) node')
    .requiredOption('--to <url>', 'RPC URL of the target (follower) node')
    .option('--every <duration>', 'repeat after this pause (e.g. 30s, 5m) until stopped')
    .option('--no-prune', 'keep pins on the target that the source dropped')
    .option('--pin-timeout <duration>', 'deadline of one pin on the target', '10m')
    .action(async (options: MirrorOptions) => {
      const from = rpcUrl('--from', options.from)
      const to = rpcUrl('--to', options.to)
      const init = {
        prune: options.prune,
        pinDeadlineMs: milliseconds('--pin-timeout', options.pinTimeout),
      }
      const intervalMs =
        options.every === undefined ? undefined : milliseconds('--every', options.every)
      const config = blockstoreConfig(io.env)
      const components: MirrorComponents = {
        source: createKuboMirrorNode(from, config, io.logger),
        target: createKuboMirrorNode(to, config, io.logger),
        logger: io.logger,
      }
      if (intervalMs !== undefined) return runForever(components, io, intervalMs, init)
      const result = await mirrorPins(components, init)
      for (const cid of result.copied) io.out(`copied ${cid}`)
      for (const cid of result.pruned) io.out(`pruned ${cid}`)
      for (const { cid, error } of result.failed) io.err(`failed ${cid}: ${error}`)
      io.err(summary(result))
      if (result.failed.length > 0) throw new CliError(`${result.failed.length} DAG(s) not copied`)
    })
}
