import { describe, expect, it } from 'vitest'
import { assetMatcher, parseBuildConfig } from './build-config.js'

describe('parseBuildConfig', () => {
  it('reads a full configuration and normalises paths', () => {
    const result = parseBuildConfig(`
version: 1
releases:
  patterns: ["*.tar.gz", "dist-*.zip"]
  include_source_code: true
subdirectories:
  branch: trunk
  paths: [./docs/, site/public]
  keep: 3
`)
    expect(result).toEqual({
      ok: true,
      config: {
        version: 1,
        releases: { patterns: ['*.tar.gz', 'dist-*.zip'], include_source_code: true },
        subdirectories: { branch: 'trunk', paths: ['docs', 'site/public'], keep: 3 },
      },
    })
  })

  it('defaults: branch main, no source code; left-out sections stay out', () => {
    const result = parseBuildConfig('version: 1\nsubdirectories:\n  paths: [.]\n')
    expect(result).toEqual({
      ok: true,
      config: { version: 1, subdirectories: { branch: 'main', paths: ['.'] } },
    })
  })

  it('names every problem with its field', () => {
    const result = parseBuildConfig(`
version: 2
releases:
  patterns: ["*.{zip", "bin/x"]
  include_source_code: "yes"
subdirectories:
  paths: [../secrets, /etc, docs, docs/]
  keep: 0
extra: true
`)
    expect(result.ok).toBe(false)
    const problems = result.ok ? [] : result.problems
    expect(problems).toEqual(
      expect.arrayContaining([
        'version: 2 is not supported; this Pinion reads version 1',
        'releases.patterns[0]: "*.{zip": unbalanced { }',
        'releases.patterns[1]: "bin/x": asset names have no "/"',
        expect.stringMatching(/^releases\.include_source_code: .*boolean/),
        'subdirectories.paths[0]: "../secrets" leaves the repository (..)',
        'subdirectories.paths[1]: "/etc" is absolute; use a path inside the repository',
        expect.stringMatching(/^subdirectories\.keep: /),
        expect.stringMatching(/extra/),
      ]),
    )
  })

  it('reports a duplicate path after normalisation', () => {
    const result = parseBuildConfig('version: 1\nsubdirectories:\n  paths: [docs, ./docs/]\n')
    expect(result).toEqual({
      ok: false,
      problems: ['subdirectories.paths: "docs" is listed twice'],
    })
  })

  it('reports YAML syntax errors, an empty file and a missing version', () => {
    const broken = parseBuildConfig('version: [1\n')
    expect(broken.ok ? [] : broken.problems[0]).toMatch(/^not valid YAML: /)
    expect(parseBuildConfig('')).toEqual({ ok: false, problems: ['the file is empty'] })
    expect(parseBuildConfig('releases: {}\n')).toEqual({
      ok: false,
      problems: ['version: is required (version: 1)'],
    })
  })
})

describe('assetMatcher', () => {
  it('matches names against the globs, everything without patterns', () => {
    const match = assetMatcher(['*.tar.gz', 'dist-*.zip'])
    expect(['app.tar.gz', 'dist-linux.zip', 'app.zip', '.hidden.tar.gz'].filter(match)).toEqual([
      'app.tar.gz',
      'dist-linux.zip',
      '.hidden.tar.gz',
    ])
    expect(assetMatcher(undefined)('anything')).toBe(true)
  })
})
