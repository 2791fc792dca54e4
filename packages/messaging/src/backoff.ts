/**
 * The delay in ms before the next delivery after failed delivery number `deliveryCount`
 * (1 = the first delivery failed): `backoffMs[deliveryCount - 1]`, with the last entry repeating
 * for later deliveries. Deterministic on purpose: concurrent instances already spread retries,
 * because each message fails at its own time.
 *
 * @throws RangeError when `backoffMs` is empty or `deliveryCount` is not an integer ≥ 1.
 */
export function retryDelay(backoffMs: readonly number[], deliveryCount: number): number {
  if (!Number.isInteger(deliveryCount) || deliveryCount < 1) {
    throw new RangeError(`deliveryCount must be an integer ≥ 1, got ${deliveryCount}`)
  }
  const last = backoffMs.at(-1)
  if (last === undefined) throw new RangeError('backoff schedule is empty')
  return backoffMs[deliveryCount - 1] ?? last
}
