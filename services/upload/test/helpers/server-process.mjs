// The upload service in a process of its own, run from the built dist/ exactly as in production
// (no TypeScript loader, no test harness loaded: the parent made the database, namespace and
// blockstore folder and passes their settings as the environment), so that
// test/upload-memory.test.ts measures the real thing. Sends { url, token } over IPC once
// listening; answers 'reset' and 'rss' with the peak resident set size (sampled every 10 ms), and
// 'stop' by shutting down and exiting.
import { once } from 'node:events'
import { createLogger, parseConfig, startAll, stopAll } from '@pinion/service-kit'
import { buildDeps, ConfigSchema, createApp } from '@pinion/upload'
import { createUploadUser } from '@pinion/upload/testing'

const logger = createLogger({ service: 'upload-memory', level: 'warn' })
const deps = await buildDeps(parseConfig(ConfigSchema, process.env), logger)
await startAll(deps.startables, logger)
const server = createApp(deps).listen(0, '127.0.0.1')
await once(server, 'listening')
const { token } = await createUploadUser(deps)

let peakRss = process.memoryUsage.rss()
let peakDetail = {}
const sampler = setInterval(() => {
  const rss = process.memoryUsage.rss()
  if (rss > peakRss) {
    peakRss = rss
    peakDetail = process.memoryUsage()
  }
}, 10)

process.on('message', (message) => {
  if (message === 'reset') peakRss = process.memoryUsage.rss()
  if (message === 'reset' || message === 'rss') process.send({ peakRss, peakDetail })
  if (message === 'stop') {
    clearInterval(sampler)
    server.closeAllConnections()
    server.close()
    void stopAll(deps.startables, logger).finally(() => process.exit(0))
  }
})
process.send({ url: `http://127.0.0.1:${server.address().port}`, token, baselineRss: peakRss })
