// The account API's shapes (/work/account-api-contract.md; served as OpenAPI at
// /api/account/openapi.json). Only what the pages read is typed.

export interface User {
  readonly id: string
  readonly email: string
  readonly displayName: string | null
  readonly role: string
}

export interface Provider {
  readonly id: string
  readonly label: string
  readonly url: string
}

export interface Session {
  readonly user: User | null
  readonly csrfToken: string
  readonly signUpOpen: boolean
  readonly providers: readonly Provider[]
}

export const TOKEN_SCOPES = ['pinning', 'upload', 'gateway', 'prover'] as const
export type TokenScope = (typeof TOKEN_SCOPES)[number]

export interface ApiToken {
  readonly id: string
  readonly name: string
  readonly scopes: readonly string[]
  readonly createdAt: string
  readonly expiresAt: string | null
  readonly lastUsedAt: string | null
  readonly revokedAt: string | null
}

export interface CreatedToken {
  readonly token: string
  readonly id: string
  readonly name: string
  readonly scopes: readonly string[]
  readonly createdAt: string
  readonly expiresAt: string | null
}

export const PIN_STATUSES = ['queued', 'pinning', 'pinned', 'failed'] as const
export type PinState = (typeof PIN_STATUSES)[number]

/** The Pinning API's PinStatus. */
export interface PinStatus {
  readonly requestid: string
  readonly status: PinState
  readonly created: string
  readonly pin: {
    readonly cid: string
    readonly name?: string
    readonly origins?: readonly string[]
    readonly meta?: Record<string, string>
  }
  readonly delegates?: readonly string[]
  readonly info?: Record<string, unknown>
}

export interface PinResults {
  readonly count: number
  readonly results: readonly PinStatus[]
}

/** One `event: status` of `GET /api/account/pins/events`. */
export interface PinStatusEvent {
  readonly requestid: string
  readonly status: PinState
  readonly cid: string
  readonly dagSize?: number
  readonly info?: Record<string, unknown>
}

export interface Installation {
  readonly id: number | string
  readonly accountLogin: string
  readonly accountType: string
  readonly repositories: readonly string[]
}

export interface GitHubEvent {
  readonly id: string
  readonly deliveryId: string
  readonly event: string
  readonly action: string | null
  readonly repository: string | null
  readonly status: string
  readonly messages: readonly { at: string; level: string; text: string }[]
  readonly createdAt: string
  readonly processedAt: string | null
}

export interface ChallengeKeyRoot {
  readonly root: string
  readonly status?: string
  readonly progress?: number
  readonly chunk_count?: number | null
}

export interface ChallengeKey {
  readonly key_id: string
  readonly protocol: string
  readonly suite: string
  readonly challenge_size: number
  readonly created_at?: string
  readonly audit_count?: number
  readonly roots: readonly ChallengeKeyRoot[]
}

export interface ChallengeKeySetup extends ChallengeKey {
  readonly client_setup: string
  readonly client_setup_signed?: string
  readonly service_public_key?: string
  readonly roots: readonly (ChallengeKeyRoot & { root_descriptor?: string })[]
}

export interface UsageDay {
  readonly date: string
  readonly storedBytes: number
  readonly pinCount: number
  readonly gatewayBytes: number
}

export interface Usage {
  readonly days: readonly UsageDay[]
  readonly totals: {
    readonly storedBytes: number
    readonly pinCount: number
    readonly gatewayBytesThisMonth: number
  }
  readonly limits: {
    readonly maxPins: number | null
    readonly maxStoredBytes: number | null
    readonly maxGatewayBytesPerMonth: number | null
  }
}
