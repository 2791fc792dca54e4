/** Messages between the service and its worker threads (structured clone over MessagePort). */
import type { CreateKeyTask, CreatedKeyFrames, TagTask, TaggedFrames } from './tasks.js'
import type { ProveTask } from './prove-task.js'

/** What a thread is started with. */
export interface ThreadData {
  /**
   * AES-256-GCM key of sealed TA secrets: given to tagging threads only. Proving threads start
   * without it and refuse key and tag tasks.
   */
  readonly sealKey?: Uint8Array
  /** Test seam: safe primes (hex) to hand out in turn instead of searching for new ones. */
  readonly safePrimes?: readonly string[]
}

/** Any task a thread runs. */
export type ThreadTask = CreateKeyTask | TagTask | ProveTask

/** Any task's result. */
export type ThreadResult = CreatedKeyFrames | TaggedFrames | Uint8Array

/** Service → thread. */
export type ToThread =
  | { readonly type: 'task'; readonly id: number; readonly task: ThreadTask }
  | {
      readonly type: 'data'
      readonly request: number
      readonly bytes?: Uint8Array
      readonly error?: string
    }

/** What a thread asks the service for while it runs a task. */
export type DataRequest =
  | { readonly what: 'block'; readonly cid: Uint8Array }
  | { readonly what: 'tag'; readonly root: number; readonly index: number }

/** Thread → service. */
export type FromThread =
  | { readonly type: 'done'; readonly id: number; readonly result: ThreadResult }
  | {
      readonly type: 'failed'
      readonly id: number
      readonly message: string
      readonly format: boolean
    }
  | {
      readonly type: 'get'
      readonly id: number
      readonly request: number
      readonly data: DataRequest
    }
  | {
      readonly type: 'progress'
      readonly id: number
      readonly blocks: number
      readonly bytes: number
    }
