/**
 * Entry of a worker thread: runs one task at a time and asks the service for blocks and tags as
 * it needs them. Tagging threads get the seal key in `workerData` and open TA secrets only here;
 * proving threads start without it, so no secret can reach the proving path's memory.
 */
import { generatePrimeSync } from 'node:crypto'
import { parentPort, workerData } from 'node:worker_threads'
import { ProofFormatError } from '@pinion/proofs'
import { createBlockCache } from './block-cache.js'
import type { DataRequest, FromThread, ThreadData, ThreadTask, ToThread } from './messages.js'
import { runProve } from './prove-task.js'
import { runCreateKey, runTag, type TaskEnvironment } from './tasks.js'

const port = parentPort!
const data = workerData as ThreadData
let nextPrime = 0

function environment(): TaskEnvironment {
  if (!data.sealKey) throw new Error('this thread holds no seal key: it only proves')
  return {
    sealKey: data.sealKey,
    safePrime: (bits) =>
      data.safePrimes?.length
        ? BigInt(`0x${data.safePrimes[nextPrime++ % data.safePrimes.length]}`)
        : generatePrimeSync(bits, { safe: true, bigint: true }),
  }
}

const pending = new Map<number, { resolve(bytes: Uint8Array): void; reject(e: Error): void }>()
let nextRequest = 0
const post = (message: FromThread) => port.postMessage(message)

port.on('message', (message: ToThread) => {
  if (message.type === 'data') {
    const waiter = pending.get(message.request)
    pending.delete(message.request)
    if (message.bytes) waiter?.resolve(message.bytes)
    else waiter?.reject(new RangeError(message.error ?? 'data unavailable'))
    return
  }
  void run(message.id, message.task)
})

function ask(id: number, data: DataRequest): Promise<Uint8Array> {
  const request = nextRequest++
  return new Promise<Uint8Array>((resolve, reject) => {
    pending.set(request, { resolve, reject })
    post({ type: 'get', id, request, data })
  })
}

async function run(id: number, task: ThreadTask) {
  try {
    if (task.kind === 'createKey') {
      post({ type: 'done', id, result: await runCreateKey(task, environment()) })
      return
    }
    let blocks = 0
    let bytes = 0
    let lastReport = 0
    const source = createBlockCache(async (cid) => {
      const block = await ask(id, { what: 'block', cid })
      blocks++
      bytes += block.length
      if (Date.now() - lastReport > 250) {
        lastReport = Date.now()
        post({ type: 'progress', id, blocks, bytes })
      }
      return block
    })
    const result =
      task.kind === 'tag'
        ? await runTag(task, environment(), source)
        : await runProve(task, {
            blocks: source,
            tag: (root, index) => ask(id, { what: 'tag', root, index }),
          })
    post({ type: 'done', id, result })
  } catch (error) {
    post({
      type: 'failed',
      id,
      message: error instanceof Error ? error.message : String(error),
      format: error instanceof ProofFormatError,
    })
  }
}
