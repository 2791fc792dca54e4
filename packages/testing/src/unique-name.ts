import { randomBytes } from 'node:crypto'

/**
 * A name no other test (file, worker or concurrent CI run) will use: `prefix_<pid>_<random>`, safe
 * for Postgres database names, NATS stream names and subject tokens.
 */
export function uniqueName(prefix: string): string {
  return `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`.toLowerCase()
}
