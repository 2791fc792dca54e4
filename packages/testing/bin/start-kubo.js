#!/usr/bin/env node
// Runs the stand-in Kubo (js-ipfs, offline) for a dev stack until SIGINT/SIGTERM, and prints the
// URLs to put in the services' environment. Reads dist/: build first (`pnpm --filter
// @pinion/testing kubo` does).
//
//   KUBO_REPO=./.pinion/kubo KUBO_API_PORT=5001 KUBO_GATEWAY_PORT=8081 node bin/start-kubo.js
import { startKubo } from '../dist/index.js'

const port = (value) => (value === undefined ? undefined : Number(value))
const kubo = await startKubo({
  repo: process.env.KUBO_REPO,
  apiPort: port(process.env.KUBO_API_PORT),
  gatewayPort: port(process.env.KUBO_GATEWAY_PORT),
})
process.stdout.write(`KUBO_RPC_URL=${kubo.rpcUrl}\nKUBO_GATEWAY_URL=${kubo.gatewayUrl}\n`)

let stopping = false
const stop = async () => {
  if (stopping) return
  stopping = true
  await kubo.stop()
  process.exit(0)
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
