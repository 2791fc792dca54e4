/**
 * `@pinion/unixfs`: files and directories, read as streams, turned into UnixFS DAGs with exactly
 * the CIDs `ipfs add --cid-version=1` (Kubo's defaults) gives, and written through any Pinion
 * blockstore's `putMany` with backpressure. Built on `ipfs-unixfs-importer`; the profile that
 * makes the CIDs match is {@link kuboProfile}. Used by the upload service (HTTP bodies) and
 * github-bot (release assets, directories).
 *
 * @example
 * ```ts
 * import { createUnixfsImporter } from '@pinion/unixfs'
 * const unixfs = createUnixfsImporter({ blockstore })
 * const file = await unixfs.addFile(request) // any AsyncIterable<Uint8Array>
 * const dir = await unixfs.addAll([
 *   { path: 'site/index.html', content: createReadStream('site/index.html') },
 *   { path: 'site/empty' }, // an empty directory
 * ]) // dir.cid: what `ipfs add -r --cid-version=1 site` prints
 * ```
 */
export {
  createUnixfsImporter,
  type AddAllOptions,
  type DirectoryEntry,
  type FileEntry,
  type ImportEntry,
  type ImportOptions,
  type ImportSummary,
  type UnixfsComponents,
  type UnixfsImporter,
  type UnixfsInit,
} from './unixfs-importer.js'
export { importerOptions, kuboProfile, type UnixfsProfile } from './profile.js'
export { InvalidImportError } from './errors.js'
export { MAX_PATH_LENGTH, pathSegments } from './paths.js'
