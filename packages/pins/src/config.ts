import { z } from 'zod'
import { parseDelegates } from './delegates.js'

/**
 * The pin domain's configuration fragment; services that create pins spread it into their schema.
 */
export const pinsSchema = z.object({
  /** How long a pin may stay queued/pinning before the worker gives up (`failed`), in ms. */
  PIN_DEADLINE_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .max(30 * 24 * 3_600_000)
    .default(3_600_000),
  /**
   * The `delegates` of every PinStatus: the multiaddrs (each ending in `/p2p/<peer id>`) of the
   * IPFS nodes that hold the pinned data, comma separated, 1–20. Unset: asked from the Kubo node
   * at KUBO_RPC_URL once at start (see resolveDelegates).
   */
  PIN_DELEGATES: z
    .string()
    .optional()
    .transform((value, context) => {
      if (value === undefined || value.trim() === '') return undefined
      const parsed = parseDelegates(value)
      if (typeof parsed === 'string') {
        context.addIssue({ code: 'custom', message: parsed })
        return z.NEVER
      }
      return parsed
    }),
})

export type PinsConfig = z.infer<typeof pinsSchema>
