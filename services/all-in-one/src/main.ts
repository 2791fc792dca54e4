import { runMain } from '@pinion/service-kit'
import { createApp } from './app.js'
import { loadConfig } from './config.js'
import { buildDeps } from './deps.js'

await runMain({ name: 'pinion', loadConfig, buildDeps, createApp })
