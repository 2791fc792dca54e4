import { mkdir, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { startManifestFlow } from '@pinion/github-bot'
import type { Command } from 'commander'
import type { CliIo } from '../io.js'

interface RegisterOptions {
  publicUrl: string
  org?: string
  name?: string
  webUrl: string
  apiUrl: string
  outDir: string
  port: string
}

/**
 * `pinion github register-app`: creates Pinion's GitHub App from a manifest (the flow GitHub
 * documents for self-hosted integrations) and writes its private key and webhook secret to
 * files (mode 0600), printing the variables to set. Secrets never go to the terminal.
 */
export function registerGithub(program: Command, io: CliIo): void {
  program
    .command('github')
    .description('the GitHub App')
    .command('register-app')
    .description('create the GitHub App from a manifest in your browser and save its credentials')
    .requiredOption(
      '--public-url <url>',
      "Pinion's public URL (the App's webhook is <url>/github/webhooks)",
      io.env.PUBLIC_URL,
    )
    .option(
      '--org <organization>',
      'create the App under this organisation instead of your account',
    )
    .option('--name <name>', 'the App name (default "Pinion (<host>)")')
    .option(
      '--web-url <url>',
      'GitHub web root (Enterprise Server: https://HOST)',
      io.env.GITHUB_WEB_URL ?? 'https://github.com',
    )
    .option(
      '--api-url <url>',
      'GitHub API root (Enterprise Server: https://HOST/api/v3)',
      io.env.GITHUB_API_URL ?? 'https://api.github.com',
    )
    .option('--out-dir <dir>', 'where the private key and webhook secret are written', '.pinion')
    .option('--port <port>', 'local port of the helper page (0: any free one)', '0')
    .action(async (options: RegisterOptions) => {
      const flow = await startManifestFlow({
        publicUrl: options.publicUrl,
        webUrl: options.webUrl,
        apiUrl: options.apiUrl,
        port: Number(options.port),
        ...(options.name === undefined ? {} : { name: options.name }),
        ...(options.org === undefined ? {} : { organization: options.org }),
      })
      io.err(`Open ${flow.url} in a browser signed in to GitHub and confirm the new App.`)
      try {
        const app = await flow.registered
        const folder = resolve(options.outDir)
        await mkdir(folder, { recursive: true })
        const keyFile = join(folder, 'github-app.pem')
        const secretFile = join(folder, 'github-webhook-secret')
        await writeFile(keyFile, app.pem, { mode: 0o600 })
        await writeFile(secretFile, `${app.webhookSecret}\n`, { mode: 0o600 })
        io.err(
          `Created ${app.htmlUrl}; install it on your repositories from ${app.htmlUrl}/installations/new`,
        )
        io.out(`GITHUB_APP_ID=${app.id}`)
        io.out(`GITHUB_PRIVATE_KEY_FILE=${keyFile}`)
        io.out(`GITHUB_WEBHOOK_SECRET_FILE=${secretFile}`)
        if (options.apiUrl !== 'https://api.github.com') io.out(`GITHUB_API_URL=${options.apiUrl}`)
      } finally {
        await flow.close()
      }
    })
}
