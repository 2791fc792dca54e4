/**
 * Which file a tagging thread runs. Built, it is `worker.js` beside this module. From source (the
 * tests, under vitest) it is `worker.ts`, loaded through tsx with the workspace's source condition,
 * so the tests exercise the real thread without a build.
 */
import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'
import type { WorkerOptions } from 'node:worker_threads'

/** The script and options to start a tagging thread with. */
export function workerEntry(): { script: URL | string; options: WorkerOptions } {
  const here = import.meta.url
  if (!here.endsWith('.ts')) return { script: new URL('./worker.js', here), options: {} }
  // require.resolve finds the CommonJS build; the ESM one sits beside it.
  const cjs = createRequire(here).resolve('tsx/esm/api')
  const tsx = pathToFileURL(cjs.replace(/index\.cjs$/, 'index.mjs')).href
  const worker = new URL('./worker.ts', here).href
  const boot = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(worker)}) })`
  return { script: boot, options: { eval: true, execArgv: ['--conditions=@pinion/source'] } }
}
