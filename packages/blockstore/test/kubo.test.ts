import { startKubo, type RunningKubo } from '@pinion/testing'
import { afterAll, beforeAll } from 'vitest'
import { describeBlockstoreContract } from './contract.js'
import { startBlockstore } from './helpers/subjects.js'

let kubo: RunningKubo

beforeAll(async () => {
  kubo = await startKubo()
})

afterAll(async () => {
  await kubo.stop()
})

describeBlockstoreContract('kubo (js-ipfs stand-in)', (env) =>
  startBlockstore({ BLOCKSTORE: 'kubo', KUBO_RPC_URL: kubo.rpcUrl, ...env }),
)
