import { lookup } from 'mime-types'
import { sniffContentType } from './sniff.js'

/** What is known about a file when its Content-Type is decided. */
export interface FileTypeHints {
  /** `?filename=` or the last path segment; its extension wins when it is a known one. */
  name: string | undefined
  /** The first bytes of the content that will be sent. */
  head: Uint8Array
  /** Whether `head` is the whole file (JSON detection needs the whole document). */
  complete: boolean
}

/**
 * The Content-Type of a UnixFS file: from the name's extension (`mime-types`, the `mime-db`
 * table), else sniffed from the head. `text/html` loses any charset so browsers decide (kubo#2203).
 */
export function fileContentType(hints: FileTypeHints): string {
  const byName = hints.name === undefined ? false : lookup(hints.name)
  const type = byName === false ? sniffContentType(hints.head, hints.complete) : byName
  return type.startsWith('text/html;') ? 'text/html' : type
}
