import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const main = fileURLToPath(new URL('../../dist/main.js', import.meta.url))

/** The worker as production runs it (`node dist/main.js`), in a child process that can be killed. */
export interface WorkerProcess {
  /** `requestId`s of the "pin pinned" log lines printed so far, one per transition. */
  readonly pinnedLog: string[]
  /** SIGKILL: no shutdown, no acks, whatever was in flight is left to redelivery. */
  kill(): Promise<void>
  /** SIGTERM and wait for the exit. */
  stop(): Promise<void>
}

/** Starts `dist/main.js` (build first: test:integration runs `tsc -b`) with `env`. */
export function startWorkerProcess(env: Record<string, string>): WorkerProcess {
  const child: ChildProcess = spawn(process.execPath, [main], {
    env: { ...process.env, ...env, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const pinnedLog: string[] = []
  let rest = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    const lines = (rest + chunk.toString()).split('\n')
    rest = lines.pop() ?? ''
    for (const line of lines) {
      if (!line.includes('"pin pinned"')) continue
      const entry = JSON.parse(line) as { requestId: string }
      pinnedLog.push(entry.requestId)
    }
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  return {
    pinnedLog,
    async kill() {
      child.kill('SIGKILL')
      await exited
    },
    async stop() {
      child.kill('SIGTERM')
      await exited
    },
  }
}
