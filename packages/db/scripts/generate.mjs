// Runs `prisma generate` without the native schema engine: Prisma 7 only needs that binary for
// migrations, but its CLI tries to download it first (which fails here, see
// docs/reference/environment.md §3). Pointing PRISMA_SCHEMA_ENGINE_BINARY at any existing file
// skips the download; generate itself uses the Wasm bundled with the CLI.
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const packageDir = fileURLToPath(new URL('..', import.meta.url))
const stub = fileURLToPath(new URL('./schema-engine-stub.sh', import.meta.url))
const result = spawnSync('pnpm', ['exec', 'prisma', 'generate'], {
  cwd: packageDir,
  stdio: 'inherit',
  env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: stub, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
})
process.exit(result.status ?? 1)
