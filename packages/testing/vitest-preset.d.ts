import type { UserConfig } from 'vitest/config'
export interface PinionVitestOptions {
  integration?: {
    testTimeout?: number
    hookTimeout?: number
    maxWorkers?: number
    setupFiles?: string[]
  }
  unit?: { setupFiles?: string[] }
}
export declare function definePinionVitestConfig(options?: PinionVitestOptions): UserConfig
