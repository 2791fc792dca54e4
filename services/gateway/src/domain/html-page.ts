import { createHash } from 'node:crypto'

/** Escapes text for HTML element content and double-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`)
}

const style = `body{font-family:system-ui,sans-serif;margin:2rem;color:#222}
h1{font-size:1.1rem;word-break:break-all}table{border-collapse:collapse;width:100%}
td{padding:.3rem .6rem;border-bottom:1px solid #eee;white-space:nowrap}
td.name{white-space:normal;word-break:break-all}.ipfs-hash{font-family:monospace;font-size:.8rem;color:#777}
pre{background:#f6f6f6;padding:1rem;overflow:auto}nav a{margin-right:1rem}`

/** The page shell around generated HTML (directory listings, DAG previews). */
export function pageStart(title: string): string {
  return `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title><style>${style}</style></head><body><main>`
}

/** Closes {@link pageStart}. */
export const pageEnd = '</main></body></html>\n'

/**
 * A short hash of the generated-HTML templates, part of their ETags (`DirIndex-<hash>_CID-<cid>`)
 * so that a template change invalidates cached pages while the content stays the same.
 */
export const templateHash = createHash('sha256')
  .update(`${style}\n${pageStart.toString()}\npinion-html-v1`)
  .digest('hex')
  .slice(0, 12)

/** A size in bytes for people (1.5 KiB). */
export function humanSize(bytes: bigint | number): string {
  let value = Number(bytes)
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB']
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit += 1
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`
}
