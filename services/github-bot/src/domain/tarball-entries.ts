import { Readable } from 'node:stream'
import { createGunzip } from 'node:zlib'
import type { ImportEntry } from '@pinion/unixfs'
import { extract } from 'tar-stream'

/** What {@link directoryEntries} saw, filled in as it goes. */
export interface TarballScan {
  /** The configured folder appeared in the archive. */
  found: boolean
  files: number
  /** Symlinks and other special entries left out (UnixFS gets files and folders only). */
  skipped: number
}

/**
 * The files and folders under `path` in a GitHub repository tarball, relative to `path`, as
 * import entries for `UnixfsImporter.addAll` (with `wrap: 'always'` that gives the CID of
 * `ipfs add -r --cid-version=1 <path>`). GitHub's archives hold one top folder
 * (`<owner>-<repo>-<sha7>/`) and a pax global header, both dropped. Like `ipfs add -r` without
 * `--hidden`, names starting with `.` are left out. Entries must be consumed in order (each
 * file's content before the next entry), as the importer does.
 */
export async function* directoryEntries(
  tarGz: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  path: string,
  scan: TarballScan,
): AsyncGenerator<ImportEntry> {
  const archive = extract()
  Readable.from(tarGz)
    .on('error', (error) => archive.destroy(error))
    .pipe(createGunzip())
    .on('error', (error) => archive.destroy(error))
    .pipe(archive)
  for await (const entry of archive) {
    const relative = relativeTo(entry.header.name, path)
    const type = entry.header.type
    if (relative === undefined || (type !== 'file' && type !== 'directory')) {
      if (relative !== undefined && relative !== '' && !isHidden(relative)) scan.skipped += 1
      entry.resume()
      continue
    }
    if (relative === '') {
      scan.found = true
      entry.resume()
      continue
    }
    if (isHidden(relative)) {
      entry.resume()
      continue
    }
    scan.found = true
    if (type === 'directory') {
      entry.resume()
      yield { path: relative }
    } else {
      scan.files += 1
      yield { path: relative, content: entry as AsyncIterable<Uint8Array> }
    }
  }
}

/** The entry's path below `path` ('' for the folder itself), or `undefined` when outside it. */
function relativeTo(name: string, path: string): string | undefined {
  const segments = name.split('/').filter((segment) => segment !== '' && segment !== '.')
  if (segments.includes('..'))
    throw new Error(`the archive has an entry leaving its folder: ${name}`)
  // The first segment is GitHub's `<owner>-<repo>-<sha7>` folder.
  const inRepo = segments.slice(1)
  if (path === '.') return inRepo.join('/')
  const wanted = path.split('/')
  if (inRepo.length < wanted.length) return undefined
  for (const [index, segment] of wanted.entries()) {
    if (inRepo[index] !== segment) return undefined
  }
  return inRepo.slice(wanted.length).join('/')
}

function isHidden(relative: string): boolean {
  return relative.split('/').some((segment) => segment.startsWith('.'))
}
