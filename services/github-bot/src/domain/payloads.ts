import { z } from 'zod'

/**
 * The fields of GitHub's webhook payloads the bot reads (everything else passes through).
 * Parsing them here turns a surprising payload into a clear event message instead of a crash.
 */

const Account = z.object({
  id: z.number().int(),
  login: z.string(),
  type: z.string().default('User'),
})

const Repository = z.object({
  id: z.number().int(),
  name: z.string(),
  full_name: z.string(),
  owner: z.object({
    id: z.number().int(),
    login: z.string().optional(),
    name: z.string().optional(),
    type: z.string().default('User'),
  }),
})

const Sender = z.object({ id: z.number().int(), login: z.string() }).optional()
const InstallationRef = z.object({ id: z.number().int() })

export const PushPayloadSchema = z.object({
  ref: z.string(),
  after: z.string(),
  deleted: z.boolean().default(false),
  repository: Repository,
  installation: InstallationRef,
  sender: Sender,
})
export type PushPayload = z.infer<typeof PushPayloadSchema>

export const ReleasePayloadSchema = z.object({
  action: z.string(),
  release: z.object({
    id: z.number().int(),
    tag_name: z.string(),
    immutable: z.boolean().optional(),
    assets: z.array(
      z.object({
        id: z.number().int(),
        name: z.string(),
        size: z.number().int(),
        state: z.string(),
        digest: z.string().nullish(),
      }),
    ),
  }),
  repository: Repository,
  installation: InstallationRef,
  sender: Sender,
})
export type ReleasePayload = z.infer<typeof ReleasePayloadSchema>

const RepositoryList = z
  .array(z.object({ id: z.number().int(), full_name: z.string().optional() }))
  .default([])

export const InstallationPayloadSchema = z.object({
  action: z.string(),
  installation: z.object({ id: z.number().int(), account: Account }),
  repositories: RepositoryList,
  sender: Sender,
})
export type InstallationPayload = z.infer<typeof InstallationPayloadSchema>

export const InstallationRepositoriesPayloadSchema = z.object({
  action: z.string(),
  installation: z.object({ id: z.number().int(), account: Account }),
  repositories_added: RepositoryList,
  repositories_removed: RepositoryList,
  sender: Sender,
})
export type InstallationRepositoriesPayload = z.infer<typeof InstallationRepositoriesPayloadSchema>

/** The repository's owner login (`owner.login` on most events, `owner.name` on push). */
export function ownerLogin(repository: PushPayload['repository']): string {
  return repository.owner.login ?? repository.owner.name ?? repository.full_name.split('/')[0] ?? ''
}
