import picomatch from 'picomatch'
import { parse as parseYaml, YAMLParseError } from 'yaml'
import { z } from 'zod'

/** Where the bot looks for its configuration in a repository. */
export const buildConfigPath = 'pinion.build.yaml'

/** The only `version` this bot reads. */
export const buildConfigVersion = 1

/**
 * A configured directory, normalised: no leading `./`, no trailing `/`, `.` for the repository
 * root. Absolute paths, `..`, backslashes and empty segments are refused, because a path must
 * name a folder inside the repository and nothing else.
 */
const DirectoryPathSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(1024)
  .transform((value, context) => {
    if (value.startsWith('/')) {
      context.addIssue({
        code: 'custom',
        message: `"${value}" is absolute; use a path inside the repository`,
      })
      return z.NEVER
    }
    if (value.includes('\\') || value.includes('\0')) {
      context.addIssue({ code: 'custom', message: `"${value}" contains a backslash or NUL` })
      return z.NEVER
    }
    const segments = value.split('/').filter((segment, index, all) => {
      // `./docs`, `docs/` and `docs/.` name the same folder; a `//` inside does not.
      if (segment === '.') return false
      return !(segment === '' && (index === 0 || index === all.length - 1))
    })
    if (segments.includes('..')) {
      context.addIssue({ code: 'custom', message: `"${value}" leaves the repository (..)` })
      return z.NEVER
    }
    if (segments.includes('')) {
      context.addIssue({ code: 'custom', message: `"${value}" has an empty segment (//)` })
      return z.NEVER
    }
    return segments.length === 0 ? '.' : segments.join('/')
  })

/** An asset-name glob (picomatch syntax, matched against the file name only). */
const AssetPatternSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(200)
  .superRefine((pattern, context) => {
    const problem = globProblem(pattern)
    if (problem !== undefined) context.addIssue({ code: 'custom', message: problem })
  })

function globProblem(pattern: string): string | undefined {
  if (pattern.includes('/')) return `"${pattern}": asset names have no "/"`
  const count = (char: string) => pattern.split(char).length - 1
  if (count('{') !== count('}')) return `"${pattern}": unbalanced { }`
  if (count('[') !== count(']')) return `"${pattern}": unbalanced [ ]`
  if (count('(') !== count(')')) return `"${pattern}": unbalanced ( )`
  try {
    // picomatch turns some broken globs into a regex that matches nothing, rather than throwing.
    if (picomatch.makeRe(pattern).source === '$^') return `"${pattern}" matches nothing`
  } catch (error) {
    return `"${pattern}": ${(error as Error).message}`
  }
  return undefined
}

const ReleasesSchema = z
  .object({
    /** Globs of asset names to pin; every asset when left out. */
    patterns: z.array(AssetPatternSchema).min(1).max(100).optional(),
    /** Also pin GitHub's generated source archives (`.tar.gz` and `.zip`). */
    include_source_code: z.boolean().default(false),
  })
  .strict()

const SubdirectoriesSchema = z
  .object({
    /** The branch whose pushes are pinned. */
    branch: z.string().min(1).max(255).default('main'),
    paths: z
      .array(DirectoryPathSchema)
      .min(1)
      .max(20)
      .superRefine((paths, context) => {
        const seen = new Set<string>()
        for (const path of paths) {
          if (seen.has(path))
            context.addIssue({ code: 'custom', message: `"${path}" is listed twice` })
          seen.add(path)
        }
      }),
    /** Pins kept per path on this branch; older ones are removed. */
    keep: z.number().int().min(1).max(1000).optional(),
  })
  .strict()

export const BuildConfigSchema = z
  .object({
    version: z.literal(buildConfigVersion, {
      error: (issue) =>
        issue.input === undefined
          ? `is required (version: ${buildConfigVersion})`
          : `${JSON.stringify(issue.input)} is not supported; this Pinion reads version ${buildConfigVersion}`,
    }),
    releases: ReleasesSchema.optional(),
    subdirectories: SubdirectoriesSchema.optional(),
  })
  .strict()

export type BuildConfig = z.infer<typeof BuildConfigSchema>

export type BuildConfigResult =
  | { readonly ok: true; readonly config: BuildConfig }
  | { readonly ok: false; readonly problems: readonly string[] }

/**
 * Parses and validates `pinion.build.yaml`. Problems are short sentences naming the field
 * (`subdirectories.paths[1]: "../x" leaves the repository (..)`), ready for the event log.
 */
export function parseBuildConfig(text: string): BuildConfigResult {
  let document: unknown
  try {
    document = parseYaml(text, { prettyErrors: true })
  } catch (error) {
    const message = error instanceof YAMLParseError ? error.message.split('\n')[0] : String(error)
    return { ok: false, problems: [`not valid YAML: ${message}`] }
  }
  if (document === null || document === undefined) {
    return { ok: false, problems: ['the file is empty'] }
  }
  const result = BuildConfigSchema.safeParse(document)
  if (result.success) return { ok: true, config: result.data }
  return {
    ok: false,
    problems: result.error.issues.map((issue) => {
      const where = issue.path
        .map((part, index) =>
          typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`,
        )
        .join('')
      return where === '' ? issue.message : `${where}: ${issue.message}`
    }),
  }
}

/** How a normalised path is shown to people: `docs/`, `site/public/`, `./`. */
export function displayPath(path: string): string {
  return path === '.' ? './' : `${path}/`
}

/** A matcher for the configured asset patterns (every name when there are none). */
export function assetMatcher(patterns: readonly string[] | undefined): (name: string) => boolean {
  if (patterns === undefined) return () => true
  // `dot: true`: an asset named `.sig` is an ordinary file, not a hidden one.
  return picomatch([...patterns], { dot: true })
}
