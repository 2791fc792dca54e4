import { describeBlockstoreContract } from './contract.js'
import { startLocal } from './helpers/subjects.js'

describeBlockstoreContract('local', (env) => startLocal(env))
