/**
 * Content sniffing for files whose name says nothing: the byte patterns of the WHATWG MIME
 * Sniffing standard (§7.1 HTML/XML/PDF, §6 images, audio/video, archives) that Go's
 * `http.DetectContentType` also uses, plus JSON (boxo's sniffer reports it, and conformance expects
 * `application/json` for a JSON file reached by bare CID). Reads at most {@link sniffLength} bytes.
 */

/** Bytes of the head the sniffer looks at. */
export const sniffLength = 512

interface Signature {
  /** Bytes to match; `mask` (when given) is ANDed with the data first. */
  pattern: number[]
  mask?: number[]
  offset?: number
  type: string
}

const ascii = (text: string): number[] => [...text].map((char) => char.charCodeAt(0))

const signatures: Signature[] = [
  { pattern: ascii('%PDF-'), type: 'application/pdf' },
  { pattern: ascii('%!PS-Adobe-'), type: 'application/postscript' },
  { pattern: [0xfe, 0xff], type: 'text/plain; charset=utf-16be' },
  { pattern: [0xff, 0xfe], type: 'text/plain; charset=utf-16le' },
  { pattern: [0xef, 0xbb, 0xbf], type: 'text/plain; charset=utf-8' },
  { pattern: [0x00, 0x00, 0x01, 0x00], type: 'image/x-icon' },
  { pattern: [0x00, 0x00, 0x02, 0x00], type: 'image/x-icon' },
  { pattern: ascii('BM'), type: 'image/bmp' },
  { pattern: ascii('GIF87a'), type: 'image/gif' },
  { pattern: ascii('GIF89a'), type: 'image/gif' },
  {
    pattern: [...ascii('RIFF'), 0, 0, 0, 0, ...ascii('WEBPVP')],
    mask: [0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
    type: 'image/webp',
  },
  { pattern: [0x89, ...ascii('PNG'), 0x0d, 0x0a, 0x1a, 0x0a], type: 'image/png' },
  { pattern: [0xff, 0xd8, 0xff], type: 'image/jpeg' },
  { pattern: ascii('ftypavif'), offset: 4, type: 'image/avif' },
  {
    pattern: [...ascii('RIFF'), 0, 0, 0, 0, ...ascii('WAVE')],
    mask: [0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff],
    type: 'audio/wave',
  },
  {
    pattern: [...ascii('RIFF'), 0, 0, 0, 0, ...ascii('AVI ')],
    mask: [0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff],
    type: 'video/avi',
  },
  { pattern: ascii('ID3'), type: 'audio/mpeg' },
  { pattern: ascii('OggS\x00'), type: 'application/ogg' },
  { pattern: ascii('MThd\x00\x00\x00\x06'), type: 'audio/midi' },
  { pattern: ascii('fLaC'), type: 'audio/flac' },
  { pattern: [0x1a, 0x45, 0xdf, 0xa3], type: 'video/webm' },
  { pattern: ascii('ftyp'), offset: 4, type: 'video/mp4' },
  { pattern: [0x1f, 0x8b, 0x08], type: 'application/x-gzip' },
  { pattern: ascii('PK\x03\x04'), type: 'application/zip' },
  { pattern: ascii('Rar!\x1a\x07\x00'), type: 'application/x-rar-compressed' },
  { pattern: ascii('Rar!\x1a\x07\x01\x00'), type: 'application/x-rar-compressed' },
  { pattern: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], type: 'application/x-7z-compressed' },
  { pattern: [0x00, 0x61, 0x73, 0x6d], type: 'application/wasm' },
  { pattern: ascii('wOFF'), type: 'font/woff' },
  { pattern: ascii('wOF2'), type: 'font/woff2' },
]

/** WHATWG §7.1: tags that make a document HTML when they open it (after whitespace). */
const htmlTags = [
  '<!DOCTYPE HTML',
  '<HTML',
  '<HEAD',
  '<SCRIPT',
  '<IFRAME',
  '<H1',
  '<DIV',
  '<FONT',
  '<TABLE',
  '<A',
  '<STYLE',
  '<TITLE',
  '<B',
  '<BODY',
  '<BR',
  '<P',
  '<!--',
]

function matches(data: Uint8Array, signature: Signature): boolean {
  const offset = signature.offset ?? 0
  if (data.length < offset + signature.pattern.length) return false
  return signature.pattern.every((byte, index) => {
    const mask = signature.mask?.[index] ?? 0xff
    return ((data[offset + index] ?? 0) & mask) === byte
  })
}

const isWhitespace = (byte: number): boolean =>
  byte === 0x09 || byte === 0x0a || byte === 0x0c || byte === 0x0d || byte === 0x20

function startsWithTag(text: string, tag: string): boolean {
  if (!text.toUpperCase().startsWith(tag)) return false
  if (tag === '<!--') return true
  // The tag must end: a space or `>` (WHATWG's "tag-terminating byte").
  const next = text.charCodeAt(tag.length)
  return next === 0x20 || next === 0x3e
}

/** WHATWG "binary data byte": control characters other than whitespace and ESC. */
function isBinaryByte(byte: number): boolean {
  return (
    byte <= 0x08 ||
    byte === 0x0b ||
    (byte >= 0x0e && byte <= 0x1a) ||
    (byte >= 0x1c && byte <= 0x1f)
  )
}

function isJson(head: Uint8Array, complete: boolean): boolean {
  if (!complete) return false
  try {
    const value: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(head))
    return typeof value === 'object' && value !== null
  } catch {
    return false
  }
}

/**
 * The media type of content starting with `head` (at most {@link sniffLength} bytes are used).
 * `complete` says `head` is the whole content, which JSON detection needs.
 */
export function sniffContentType(head: Uint8Array, complete: boolean): string {
  const data = head.subarray(0, sniffLength)
  let start = 0
  while (start < data.length && isWhitespace(data[start] ?? 0)) start += 1
  const text = new TextDecoder('latin1').decode(data.subarray(start, start + 16))
  if (htmlTags.some((tag) => startsWithTag(text, tag))) return 'text/html'
  if (text.startsWith('<?xml')) return 'text/xml'
  for (const signature of signatures) if (matches(data, signature)) return signature.type
  if (data.some(isBinaryByte)) return 'application/octet-stream'
  if ((data[start] === 0x7b || data[start] === 0x5b) && isJson(head, complete))
    return 'application/json'
  return 'text/plain; charset=utf-8'
}
