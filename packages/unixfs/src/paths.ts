import { InvalidImportError } from './errors.js'

/** Longest path accepted, in UTF-16 code units (Linux's PATH_MAX is 4096 bytes). */
export const MAX_PATH_LENGTH = 4096

/**
 * The segments of a relative path as `ipfs add -r` would see them: separators collapsed, `.`
 * segments dropped. A leading `/` is tolerated (browsers and tar never send one, but some tools
 * do) and means the same relative path.
 *
 * @throws InvalidImportError for an empty path, a `..` segment, a NUL character, or a path longer
 *   than {@link MAX_PATH_LENGTH}.
 */
export function pathSegments(path: string): string[] {
  if (path.length > MAX_PATH_LENGTH) {
    throw new InvalidImportError(`path is longer than ${MAX_PATH_LENGTH} characters`)
  }
  if (path.includes('\0')) throw new InvalidImportError('path contains a NUL character')
  const segments = path.split('/').filter((segment) => segment !== '' && segment !== '.')
  if (segments.includes('..')) {
    throw new InvalidImportError(`path "${path}" leaves its directory ("..")`)
  }
  if (segments.length === 0) throw new InvalidImportError(`path "${path}" names no file`)
  return segments
}

/**
 * Checks a stream of entries against each other as they come: a file path may appear once, and a
 * path cannot be a file and a directory at once. Memory grows with the number of paths (not their
 * content), which the caller bounds.
 */
export class PathRegistry {
  readonly #files = new Set<string>()
  readonly #dirs = new Set<string>()
  readonly #topLevel = new Set<string>()

  /** Top-level names seen so far (the root's children). */
  get topLevel(): ReadonlySet<string> {
    return this.#topLevel
  }

  /**
   * Registers a file (`kind` 'file') or directory and returns its normalised path.
   *
   * @throws InvalidImportError as {@link pathSegments}, or when the path collides.
   */
  add(path: string, kind: 'file' | 'directory'): string {
    const segments = pathSegments(path)
    const normalised = segments.join('/')
    for (let i = 1; i < segments.length; i++) {
      const parent = segments.slice(0, i).join('/')
      if (this.#files.has(parent)) {
        throw new InvalidImportError(`"${parent}" is both a file and a directory`)
      }
      this.#dirs.add(parent)
    }
    if (kind === 'file') {
      if (this.#files.has(normalised))
        throw new InvalidImportError(`"${normalised}" is given twice`)
      if (this.#dirs.has(normalised)) {
        throw new InvalidImportError(`"${normalised}" is both a file and a directory`)
      }
      this.#files.add(normalised)
    } else {
      if (this.#files.has(normalised)) {
        throw new InvalidImportError(`"${normalised}" is both a file and a directory`)
      }
      this.#dirs.add(normalised)
    }
    this.#topLevel.add(segments[0] ?? normalised)
    return normalised
  }
}
