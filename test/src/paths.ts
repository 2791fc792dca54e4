import { fileURLToPath } from 'node:url'

/** The repository root (this file is test/src/paths.ts). */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url))

/** The chart under test. */
export const chartDir = fileURLToPath(new URL('../../helm/pinion/', import.meta.url))
