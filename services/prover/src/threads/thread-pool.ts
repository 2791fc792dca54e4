/**
 * A fixed pool of worker_threads running one task each, fed from a FIFO, and the data server that
 * answers the threads' reads (blocks from the blockstore, tags from Postgres). Tagging and proving
 * are CPU-bound (sw-pub: one scalar multiplication per 31 bytes tagged, seconds per proof at
 * c = 460), so they never run on the event loop that answers HTTP.
 */
import { Worker } from 'node:worker_threads'
import { ProofFormatError, type BlockSource, type TagSource } from '@pinion/proofs'
import type { Logger, Startable } from '@pinion/service-kit'
import type {
  DataRequest,
  FromThread,
  ThreadData,
  ThreadResult,
  ThreadTask,
  ToThread,
} from './messages.js'
import { workerEntry } from './worker-entry.js'

/** Progress of one task that reads blocks. */
export interface ThreadProgress {
  /** Distinct blocks read so far. */
  readonly blocks: number
  /** Their bytes. */
  readonly bytes: number
}

/** Where a task's data comes from. */
export interface TaskData {
  readonly blocks?: BlockSource
  /** Per root of a proving task, in the task's root order. */
  readonly tags?: readonly TagSource[]
  readonly onProgress?: (progress: ThreadProgress) => void
}

/** A pool of threads. */
export interface ThreadPool extends Startable {
  /**
   * Runs `task` on the next free thread.
   *
   * @throws ProofFormatError when the task refused malformed input; Error for anything else.
   */
  run<T extends ThreadResult>(task: ThreadTask, data?: TaskData): Promise<T>
}

interface Job extends TaskData {
  readonly id: number
  readonly task: ThreadTask
  resolve(value: ThreadResult): void
  reject(error: Error): void
}

interface Slot {
  readonly worker: Worker
  job?: Job
}

/** Creates a pool of `threads` threads started with `data`; threads start with `start()`. */
export function createThreadPool(
  components: { logger: Logger },
  init: { name: string; threads: number; data: ThreadData },
): ThreadPool {
  const logger = components.logger.child({ component: init.name })
  const queue: Job[] = []
  const slots: Slot[] = []
  let nextId = 0
  let stopped = true

  const spawn = (): Slot => {
    const entry = workerEntry()
    const worker = new Worker(entry.script, { ...entry.options, workerData: init.data })
    const slot: Slot = { worker }
    worker.on('message', (message: FromThread) => onMessage(slot, message))
    worker.on('error', (error) => {
      logger.error({ err: error }, 'thread crashed')
      slot.job?.reject(new Error('worker thread crashed', { cause: error }))
      slot.job = undefined
    })
    worker.on('exit', () => {
      const index = slots.indexOf(slot)
      if (index >= 0) slots.splice(index, 1)
      slot.job?.reject(new Error('worker thread exited'))
      slot.job = undefined
      if (!stopped) {
        slots.push(spawn())
        dispatch()
      }
    })
    return slot
  }

  const onMessage = (slot: Slot, message: FromThread) => {
    const job = slot.job
    if (!job || job.id !== message.id) return
    switch (message.type) {
      case 'done':
        slot.job = undefined
        job.resolve(message.result)
        dispatch()
        return
      case 'failed':
        slot.job = undefined
        job.reject(
          message.format ? new ProofFormatError(message.message) : new Error(message.message),
        )
        dispatch()
        return
      case 'progress':
        job.onProgress?.({ blocks: message.blocks, bytes: message.bytes })
        return
      case 'get':
        void serve(slot.worker, job, message.request, message.data)
    }
  }

  const serve = async (worker: Worker, job: Job, request: number, data: DataRequest) => {
    let reply: ToThread
    try {
      let bytes: Uint8Array
      if (data.what === 'block') {
        if (!job.blocks) throw new Error('this task reads no blocks')
        bytes = await job.blocks.get(data.cid)
      } else {
        const source = job.tags?.[data.root]
        if (!source) throw new Error('this task reads no tags of that root')
        bytes = await source.tag(data.index)
      }
      reply = { type: 'data', request, bytes }
    } catch (error) {
      reply = { type: 'data', request, error: error instanceof Error ? error.message : 'failed' }
    }
    worker.postMessage(reply)
  }

  const dispatch = () => {
    for (const slot of slots) {
      if (slot.job || queue.length === 0) continue
      const job = queue.shift()!
      slot.job = job
      const message: ToThread = { type: 'task', id: job.id, task: job.task }
      slot.worker.postMessage(message)
    }
  }

  return {
    name: init.name,
    async start() {
      stopped = false
      while (slots.length < init.threads) slots.push(spawn())
      dispatch()
    },
    async stop() {
      stopped = true
      for (const job of queue.splice(0)) job.reject(new Error(`${init.name} stopped`))
      await Promise.all(slots.splice(0).map((slot) => slot.worker.terminate()))
    },
    run<T extends ThreadResult>(task: ThreadTask, data: TaskData = {}) {
      if (stopped) return Promise.reject(new Error(`${init.name} is not running`))
      return new Promise<T>((resolve, reject) => {
        queue.push({
          id: nextId++,
          task,
          ...data,
          resolve: resolve as (value: ThreadResult) => void,
          reject,
        })
        dispatch()
      })
    },
  }
}
