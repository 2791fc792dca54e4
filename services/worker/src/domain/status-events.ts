import type { PinRecord } from './pin-records.js'

/** Announces a pin's status (`pinion.pins.status`); a repeat of the same status is harmless. */
export type PublishStatus = (pin: PinRecord) => Promise<void>
