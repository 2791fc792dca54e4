import { z } from 'zod'

/**
 * The database's config fragment: spread `databaseSchema.shape` into a service's `ConfigSchema` so
 * that every service names and coerces these variables the same way.
 */
export const databaseSchema = z.object({
  /** `postgresql://user:password@host:5432/db`; the password may be empty where auth is trust. */
  DATABASE_URL: z
    .string()
    .min(1)
    .refine((value) => /^postgres(ql)?:\/\/[^\s]+$/.test(value) && URL.canParse(value), {
      message: 'must be a postgresql:// URL',
    }),
  /** Connections per process; every service replica holds up to this many. */
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
})

/** Parsed {@link databaseSchema}. */
export type DatabaseConfig = z.infer<typeof databaseSchema>
