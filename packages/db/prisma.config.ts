// Prisma CLI configuration. Only `prisma generate` (through scripts/generate.mjs) uses the CLI here:
// the native schema engine that `prisma migrate` needs cannot be downloaded on our machines, so
// migrations run through src/migrate.ts (Prisma's Wasm schema engine) instead.
import { defineConfig } from 'prisma/config'

export default defineConfig({
  schema: 'prisma/schema',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost/unused' },
})
