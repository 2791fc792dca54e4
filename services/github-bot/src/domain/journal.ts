import type { Logger } from '@pinion/service-kit'
import type { EventMessage, MessageLevel, WebhookEvents } from './webhook-events.js'

/** Writes processing messages to one event row as they happen (the dashboard shows them live). */
export interface Journal {
  info(text: string): Promise<void>
  warn(text: string): Promise<void>
  error(text: string): Promise<void>
}

/**
 * A journal of event `eventId`. Each message is also logged; a message that cannot be stored is
 * only logged (the work itself must not fail because the log line did not land).
 */
export function createJournal(
  components: { events: Pick<WebhookEvents, 'append'>; logger: Logger },
  eventId: string,
  now: () => Date = () => new Date(),
): Journal {
  const write = async (level: MessageLevel, text: string): Promise<void> => {
    const message: EventMessage = { at: now().toISOString(), level, text }
    components.logger[level]({ eventId }, text)
    try {
      await components.events.append(eventId, [message])
    } catch (error) {
      components.logger.warn({ err: error, eventId }, 'event message not stored')
    }
  }
  return {
    info: (text) => write('info', text),
    warn: (text) => write('warn', text),
    error: (text) => write('error', text),
  }
}
