/** RFC 5987 attr-char: what may stay unescaped in `filename*`. */
function encodeRfc5987(value: string): string {
  return encodeURIComponent(value).replace(
    /['()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  )
}

/**
 * A `Content-Disposition` value with both an ASCII `filename` (every other character, quotes and
 * backslashes replaced by `_`) and the exact name as `filename*=UTF-8''…` (RFC 6266).
 */
export function contentDisposition(kind: 'inline' | 'attachment', filename: string): string {
  const ascii = [...filename]
    .map((char) => (/^[\x20-\x7e]$/.test(char) && char !== '"' && char !== '\\' ? char : '_'))
    .join('')
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeRfc5987(filename)}`
}
