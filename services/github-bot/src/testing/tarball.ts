import { gzipSync } from 'node:zlib'
import { pack } from 'tar-stream'

/** A file or (with `content` undefined) a folder of a fake repository. */
export interface RepositoryFile {
  readonly path: string
  readonly content?: string | Uint8Array
}

/**
 * A `.tar.gz` shaped like GitHub's repository archives: a pax global header naming the commit
 * (as `git archive` writes it), then every entry under one `<owner>-<repo>-<sha7>/` folder,
 * folders before their files.
 */
export async function repositoryTarball(
  files: readonly RepositoryFile[],
  options: { owner: string; repo: string; sha: string },
): Promise<Buffer> {
  const top = `${options.owner}-${options.repo}-${options.sha.slice(0, 7)}`
  const archive = pack()
  const chunks: Buffer[] = []
  archive.on('data', (chunk) => chunks.push(chunk as Buffer))
  const done = new Promise<void>((resolve, reject) => {
    archive.on('end', resolve)
    archive.on('error', reject)
  })
  const add = (header: Parameters<typeof archive.entry>[0], body?: Buffer) =>
    new Promise<void>((resolve, reject) => {
      archive.entry(header, body ?? Buffer.alloc(0), (error) => (error ? reject(error) : resolve()))
    })
  await add({ name: `${top}/`, type: 'directory' })
  const folders = new Set<string>()
  for (const file of files) {
    const segments = file.path.split('/').filter((segment) => segment !== '')
    for (let index = 1; index < segments.length; index += 1) {
      const folder = segments.slice(0, index).join('/')
      if (folders.has(folder)) continue
      folders.add(folder)
      await add({ name: `${top}/${folder}/`, type: 'directory' })
    }
    const path = segments.join('/')
    if (file.content === undefined) {
      if (!folders.has(path)) await add({ name: `${top}/${path}/`, type: 'directory' })
      folders.add(path)
    } else {
      await add({ name: `${top}/${path}`, type: 'file' }, Buffer.from(file.content))
    }
  }
  archive.finalize()
  await done
  return gzipSync(Buffer.concat([paxGlobalHeader(options.sha), ...chunks]))
}

/**
 * The pax global header `git archive` starts with (typeflag `g`, a `comment` record holding the
 * commit id). tar-stream cannot write this type, and a tar is a sequence of 512-byte blocks, so
 * it is built here and put in front.
 */
function paxGlobalHeader(sha: string): Buffer {
  const text = ` comment=${sha}\n`
  let length = text.length
  while (String(length).length + text.length !== length)
    length = String(length).length + text.length
  const body = Buffer.from(`${length}${text}`)
  const header = Buffer.alloc(512)
  const field = (offset: number, size: number, value: string) =>
    header.write(value.padEnd(size, '\0'), offset, size, 'latin1')
  const octal = (value: number, size: number) => `${value.toString(8).padStart(size - 1, '0')}\0`
  field(0, 100, 'pax_global_header')
  field(100, 8, octal(0o666, 8))
  field(108, 8, octal(0, 8))
  field(116, 8, octal(0, 8))
  field(124, 12, octal(body.length, 12))
  field(136, 12, octal(0, 12))
  field(148, 8, '        ')
  field(156, 1, 'g')
  field(257, 6, 'ustar\0')
  field(263, 2, '00')
  let sum = 0
  for (const byte of header) sum += byte
  field(148, 8, `${sum.toString(8).padStart(6, '0')}\0 `)
  const padding = Buffer.alloc((512 - (body.length % 512)) % 512)
  return Buffer.concat([header, body, padding])
}
