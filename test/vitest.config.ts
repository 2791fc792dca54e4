import { definePinionVitestConfig } from '@pinion/testing/vitest'

// Unit: src/**/*.test.ts (the .env.example files, the Dockerfile). Integration: test/**/*.test.ts
// (the Helm chart, with Helm fetched from npm; the image contents, assembled outside Docker).
export default definePinionVitestConfig({
  integration: { testTimeout: 240_000, hookTimeout: 600_000 },
})
