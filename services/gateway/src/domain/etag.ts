/**
 * Whether an `If-None-Match` header matches any of `etags` (the ETags the response would carry):
 * `*`, or any listed entity tag, compared weakly (RFC 9110 §13.1.2: `W/"x"` matches `"x"`).
 */
export function ifNoneMatchHits(header: string | undefined, etags: readonly string[]): boolean {
  if (header === undefined) return false
  if (header.trim() === '*') return true
  const wanted = new Set(etags.map(opaqueTag))
  for (const match of header.matchAll(/(?:W\/)?"[^"]*"/g)) {
    if (wanted.has(opaqueTag(match[0]))) return true
  }
  return false
}

function opaqueTag(etag: string): string {
  return etag.startsWith('W/') ? etag.slice(2) : etag
}

/** Whether `If-Range` allows a partial response: absent, or the strong ETag itself. */
export function ifRangeAllows(header: string | undefined, etag: string): boolean {
  if (header === undefined) return true
  return !etag.startsWith('W/') && header.trim() === etag
}
