/** Whether the process is still serving or is on its way out; /readyz reads it during shutdown. */
export interface ServiceState {
  readonly shuttingDown: boolean
  markShuttingDown(): void
}

export function createServiceState(): ServiceState {
  let shuttingDown = false
  return {
    get shuttingDown() {
      return shuttingDown
    },
    markShuttingDown() {
      shuttingDown = true
    },
  }
}
