/**
 * Why an auditor could not even be built: the setup or a root descriptor is malformed, or is not
 * what the pinned service key signed. Carries the same `reason` vocabulary as verification results.
 */
export class SetupError extends Error {
  override readonly name = 'SetupError'
  constructor(
    readonly reason: 'malformed' | 'untrusted-setup',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}
