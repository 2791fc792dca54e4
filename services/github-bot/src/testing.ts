/**
 * `@pinion/github-bot/testing`: a fake GitHub for tests of the bot and of anything that shows
 * its work (the dashboard's GitHub Events page), plus signed webhook deliveries.
 *
 * @example
 * ```ts
 * const github = await startFakeGithub()
 * github.addInstallation(42)
 * const env = { GITHUB_API_URL: github.url, GITHUB_APP_ID: github.appId, GITHUB_PRIVATE_KEY: github.privateKeyPem }
 * const delivery = await signedDelivery('push', payload, secret)
 * await fetch(`${bot}/github/webhooks`, { method: 'POST', headers: delivery.headers, body: delivery.body })
 * ```
 */
export {
  generateAppKey,
  startFakeGithub,
  type FakeAsset,
  type FakeGithub,
  type ObjectRequest,
  type RateLimitFault,
  type RecordedStatus,
} from './testing/fake-github.js'
export { repositoryTarball, type RepositoryFile } from './testing/tarball.js'
export { signedDelivery, type SignedDelivery } from './testing/deliveries.js'
