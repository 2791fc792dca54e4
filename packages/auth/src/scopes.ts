import { z } from 'zod'

/**
 * The scopes an API token can carry: the "group membership" each service requires. They are
 * independent; `admin` does not imply the others, so an operator's admin token grants only what
 * it lists.
 */
export const scopes = ['pinning', 'upload', 'gateway', 'prover', 'admin'] as const

/** One of {@link scopes}. */
export type Scope = (typeof scopes)[number]

/** Validates one scope name. */
export const ScopeSchema = z.enum(scopes)

/**
 * A non-empty, duplicate-free list of scopes, for issuing tokens and for the OIDC group mapping.
 */
export const ScopeListSchema = z
  .array(ScopeSchema)
  .min(1, 'at least one scope is required')
  .refine((list) => new Set(list).size === list.length, 'scopes must not repeat')

/**
 * The JWT `scope` claim (RFC 8693 §4.2 style: space-separated): parses to a list of known scopes
 * and rejects empty, repeated or unknown ones, so a token can never carry a scope that some
 * service might interpret differently later.
 */
export const ScopeClaimSchema = z
  .string()
  .max(200)
  .transform((value) => value.split(' '))
  .pipe(ScopeListSchema)

/** Formats scopes for the `scope` claim, in the canonical order of {@link scopes}. */
export function formatScopeClaim(list: readonly Scope[]): string {
  return scopes.filter((scope) => list.includes(scope)).join(' ')
}
