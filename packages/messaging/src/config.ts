import { envList } from '@pinion/service-kit'
import { z } from 'zod'
import { validateNamespace } from './naming.js'

/**
 * The NATS config fragment every service spreads into its `ConfigSchema`, so the variables have one
 * name and one coercion everywhere.
 */
export const natsSchema = z.object({
  /** Comma-separated server URLs (`nats://` or `tls://`; credentials may go in the URL). */
  NATS_URL: envList(z.url({ protocol: /^(nats|tls)$/ }))
    .refine((servers) => servers.length > 0, 'at least one server URL')
    .default(['nats://127.0.0.1:4222']),
  /**
   * Prefix of every stream and subject (tests, or two stacks sharing one NATS); empty in
   * production. A lower-case letter then up to 31 [a-z0-9].
   */
  NATS_NAMESPACE: z
    .string()
    .refine((value) => {
      try {
        validateNamespace(value)
        return true
      } catch {
        return false
      }
    }, 'a lower-case letter then up to 31 [a-z0-9]')
    .default(''),
  /** Replicas of each stream and durable consumer (1 for a single server, 3 for a cluster). */
  NATS_STREAM_REPLICAS: z.coerce.number().int().min(1).max(5).default(1),
})
export type NatsConfig = z.infer<typeof natsSchema>
