import { createLogger } from '@pinion/service-kit'
import { runCli } from './program.js'
import { cliEnv } from './config.js'

const env = cliEnv()
const code = await runCli(process.argv.slice(2), {
  env,
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  progress: process.stderr.isTTY ? process.stderr : undefined,
  readStdin: async () => {
    const chunks: Buffer[] = []
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
    return Buffer.concat(chunks).toString('utf8')
  },
  logger: createLogger({
    service: 'pinion-cli',
    level: env.LOG_LEVEL ?? 'warn',
    destination: process.stderr,
  }),
})
process.exit(code)
