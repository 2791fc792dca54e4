import type { CID } from 'multiformats/cid'
import type { PinProgress } from '../blockstore.js'

/** Options of {@link pinAddWithProgress}. */
export interface PinAddOptions {
  signal: AbortSignal
  onProgress?: ((progress: PinProgress) => void) | undefined
}

interface PinAddLine {
  Progress?: number
  Pins?: string[]
  Message?: string
  Type?: string
}

async function* lines(body: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder()
  let buffered = ''
  for await (const chunk of body) {
    buffered += decoder.decode(chunk, { stream: true })
    let newline = buffered.indexOf('\n')
    while (newline >= 0) {
      const line = buffered.slice(0, newline).trim()
      buffered = buffered.slice(newline + 1)
      if (line !== '') yield line
      newline = buffered.indexOf('\n')
    }
  }
  const rest = (buffered + decoder.decode()).trim()
  if (rest !== '') yield rest
}

/**
 * Kubo's `pin/add` (recursive) with `progress=true`, which streams `{"Progress": n}` (nodes
 * fetched so far) before `{"Pins": […]}`. kubo-rpc-client 7's `pin.add` would try to parse those
 * progress lines as CIDs, so this one call goes over plain HTTP. js-ipfs sends only the final line.
 *
 * @throws Error with Kubo's message when it refuses; the signal's reason when aborted.
 */
export async function pinAddWithProgress(
  rpcUrl: string,
  root: CID,
  options: PinAddOptions,
): Promise<void> {
  const query = new URLSearchParams({ arg: root.toString(), recursive: 'true', progress: 'true' })
  const response = await fetch(`${rpcUrl}/api/v0/pin/add?${query}`, {
    method: 'POST',
    signal: options.signal,
  })
  if (response.body === null) throw new Error(`pin/add answered HTTP ${response.status}`)
  let pinned = false
  for await (const line of lines(response.body as unknown as AsyncIterable<Uint8Array>)) {
    const message = JSON.parse(line) as PinAddLine
    if (typeof message.Progress === 'number') {
      options.onProgress?.({ blocks: message.Progress, fetchedBlocks: undefined })
    }
    if (Array.isArray(message.Pins)) pinned = true
    if (message.Type === 'error' || (!response.ok && message.Message !== undefined)) {
      throw new Error(`pin/add failed: ${message.Message ?? line}`)
    }
  }
  if (!response.ok || !pinned) throw new Error(`pin/add answered HTTP ${response.status}`)
}
